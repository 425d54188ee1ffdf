import "influxdata/influxdb/tasks"

option task = {name: "downsample-cpu", every: 1h, offset: 2m}

// Downsample raw CPU data into an hourly bucket.
sourceBucket = params.sourceBucket
targetBucket = params.targetBucket
aggregate = params.useMax

data = from(bucket: sourceBucket)
    |> range(start: tasks.lastSuccess(orTime: -task.every))
    |> filter(fn: (r) => r._measurement == "cpu" and r.cpu == "cpu-total")
    |> filter(fn: (r) => r._field == "usage_user" or r._field == "usage_system")

result = if aggregate then
    data |> aggregateWindow(every: task.every, fn: max)
else
    data |> aggregateWindow(every: task.every, fn: mean)

result
    |> set(key: "agg", value: if aggregate then "max" else "mean")
    |> to(bucket: targetBucket, org: params.org)
