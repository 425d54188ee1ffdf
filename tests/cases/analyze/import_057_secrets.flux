import "influxdata/influxdb/secrets"

token = secrets.get(key: params.secretKey)

from(bucket: params.bucket, host: params.host, org: "o", token: token) |> range(start: -1h)
