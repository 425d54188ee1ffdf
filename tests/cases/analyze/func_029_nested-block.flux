classify = (v) => {
    lo = params.low
    hi = params.high
    return if v < lo then "low" else if v > hi then "high" else "ok"
}

classify(v: 10)
