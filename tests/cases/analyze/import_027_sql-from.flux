import "sql"

sql.from(
    driverName: "postgres",
    dataSourceName: params.dsn,
    query: "SELECT * FROM readings WHERE site = '${params.site}'",
)
