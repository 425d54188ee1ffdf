data
    |> map(
        // each row
        fn: (r) => ({r with x: 1}),
    )
