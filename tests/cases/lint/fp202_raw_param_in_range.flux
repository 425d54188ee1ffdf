from(bucket: "b")
    |> range(start: params.start, stop: params["stop"])
