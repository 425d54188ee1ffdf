msg = "limit is ${params.limit}"

from(bucket: "b") |> range(start: -1h) |> limit(n: params.limit)
