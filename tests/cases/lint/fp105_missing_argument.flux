from(bucket: "b") |> range()
