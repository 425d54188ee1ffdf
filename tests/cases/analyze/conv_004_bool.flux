flag = bool(v: params.flag)

from(bucket: "b") |> range(start: -1h) |> filter(fn: (r) => flag)
