import "array"

array.from(rows: [{_time: params.at, _value: 1.0}])
  |> range(start: -1h)
