import "experimental/geo"

level = from(bucket: "b") |> range(start: -1h) |> geo._detectLevel()
x = level + params.extra
