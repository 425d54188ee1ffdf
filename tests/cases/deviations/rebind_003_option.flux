// deviation: rebind
option params = {bucket: "default", limit: 100}

from(bucket: params.bucket)
  |> range(start: -1h)
  |> limit(n: params.limit)
