option task = {name: "cleanup", every: 1d, offset: 5m}

from(bucket: params.bucket)
  |> range(start: -task.every)
  |> filter(fn: (r) => r._measurement == params.measurement)
  |> count()
