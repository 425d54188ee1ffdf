option task = {name: "downsample", every: 1h}

from(bucket: params.source)
  |> range(start: -task.every)
  |> aggregateWindow(every: 1m, fn: mean)
  |> to(bucket: params.target)
