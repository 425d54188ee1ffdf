from(bucket: params.x) |> limit(n: params.n)
