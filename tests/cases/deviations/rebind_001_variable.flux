// deviation: rebind
params = {bucket: "telegraf", n: 5}

from(bucket: params.bucket)
  |> range(start: -1h)
  |> limit(n: params.n)
