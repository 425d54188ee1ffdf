left = from(bucket: params.bucket)
  |> range(start: -1h)
  |> filter(fn: (r) => r._measurement == "cpu")
right = from(bucket: params.bucket)
  |> range(start: -1h)
  |> filter(fn: (r) => r._measurement == "mem")

join(tables: {cpu: left, mem: right}, on: ["_time", "host"])
