b = params.b
from(bucket: params.b) |> range(start: -1h)
from(bucket: params.b) |> range(start: -2h) |> set(key: "k", value: params.b)
