import "influxdata/influxdb/monitor"

monitor.from(start: params.start, fn: (r) => r._check_name == params.check)
