from(bucket: "b")
  |> range(start: -1h)
  |> pivot(rowKey: params.rowKey, columnKey: ["_value"], valueColumn: "x")
