import "sql"

from(bucket: params.bucket)
  |> range(start: -1h)
  |> sql.to(driverName: "mysql", dataSourceName: params.dsn, table: params.table, batchSize: params.batch)
