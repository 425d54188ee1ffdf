import "influxdata/influxdb/monitor"

from(bucket: params.bucket)
    |> range(start: -1h)
    |> map(fn: (r) => ({r with _level: params.level}))
    |> monitor._stateChanges(fromLevel: params.from, toLevel: "crit")
