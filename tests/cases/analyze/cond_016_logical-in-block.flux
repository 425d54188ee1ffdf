check = (r) => {
    ok = r._value > 0 and params.strict
    return ok or params.lenient
}

from(bucket: "b") |> range(start: -1h) |> filter(fn: check)
