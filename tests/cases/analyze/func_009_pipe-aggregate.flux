downsample = (tables=<-, every, fn=mean) =>
    tables
        |> aggregateWindow(every: every, fn: fn)
        |> yield(name: "downsampled")

from(bucket: params.bucket)
  |> range(start: params.start)
  |> downsample(every: params.every)
