from(bucket: "b")
  |> range(start: -1h)
  |> pivot(rowKey: params.rowKey, columnKey: [params.columnKey], valueColumn: params.valueColumn)
