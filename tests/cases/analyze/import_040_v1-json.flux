import "influxdata/influxdb/v1"

v1.json(json: params.payload)
