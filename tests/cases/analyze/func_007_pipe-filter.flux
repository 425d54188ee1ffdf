onlyHost = (tables=<-, host) => tables |> filter(fn: (r) => r.host == host)

from(bucket: params.bucket)
  |> range(start: -1h)
  |> onlyHost(host: params.host)
