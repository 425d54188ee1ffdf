from(bucket: params.bucket,, org: "o")
  |> range(start: -1h)
