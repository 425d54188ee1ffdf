import "influxdata/influxdb/monitor"

option task = {name: "disk-check", every: 1m}

check = {_check_id: params.checkID, _check_name: "Disk", _type: "threshold", tags: {}}

from(bucket: params.bucket)
  |> range(start: -task.every)
  |> filter(fn: (r) => r._measurement == "disk" and r._field == "used_percent")
  |> monitor.check(
      data: check,
      messageFn: (r) => "Disk ${r.host} at ${r._value}%",
      crit: (r) => r._value > params.crit,
      warn: (r) => r._value > params.warn,
  )
