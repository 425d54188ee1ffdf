data
    |> filter(
        fn: (r) =>
            // keep cpu
            r._measurement == "cpu",
    )
