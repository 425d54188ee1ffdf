from(bucket: "b")
    |> range(start: duration(v: params.start), stop: time(v: params.stop))
