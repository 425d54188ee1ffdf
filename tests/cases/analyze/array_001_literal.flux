hosts = [params.h1, params.h2, "db-1"]

from(bucket: "b")
  |> range(start: -1h)
  |> filter(fn: (r) => contains(value: r.host, set: hosts))
