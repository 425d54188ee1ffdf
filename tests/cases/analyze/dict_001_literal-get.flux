import "dict"

d = ["cpu": params.cpuBucket, "mem": params.memBucket]

from(bucket: dict.get(dict: d, key: "cpu", default: "fallback"))
  |> range(start: -1h)
