from(bucketID: params.bucketID)
  |> range(start: -1h)
