from(bucket: "b")
  |> range(start: -1h)
  |> last(column: params.column)
