x = from(bucket: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", host: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb") |> range(start: -1h)
