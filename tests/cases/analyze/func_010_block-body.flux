threshold = (v) => {
    limit = params.base * 2
    return v > limit
}

from(bucket: "b")
  |> range(start: -1h)
  |> filter(fn: (r) => threshold(v: r._value))
