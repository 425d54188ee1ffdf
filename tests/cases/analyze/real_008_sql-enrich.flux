import "sql"

devices = sql.from(
    driverName: "postgres",
    dataSourceName: params.dsn,
    query: "SELECT device_id, owner FROM devices",
)

readings = from(bucket: params.bucket)
  |> range(start: -1h)
  |> filter(fn: (r) => r._measurement == "readings")
  |> group()

join(tables: {d: devices, r: readings}, on: ["device_id"])
  |> filter(fn: (r) => r.owner == params.owner)
