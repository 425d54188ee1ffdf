import "influxdata/influxdb/tasks"

option task = {name: "sync", every: 10m}

from(bucket: params.bucket)
  |> range(start: tasks.lastSuccess(orTime: params.orTime))
