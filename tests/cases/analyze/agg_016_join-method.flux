a = from(bucket: "a") |> range(start: -1h)
b = from(bucket: "b") |> range(start: -1h)

join(tables: {a: a, b: b}, on: params.on, method: params.method)
