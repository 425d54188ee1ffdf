from(bucket: "b") // source
    |> range(start: -1h) // last hour
    |> filter(fn: (r) => r._measurement == "cpu") // only cpu
    |> yield() // done
