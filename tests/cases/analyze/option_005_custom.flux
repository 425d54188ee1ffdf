option myLimit = 10

from(bucket: params.bucket) |> range(start: -1h) |> limit(n: myLimit + params.extra)
