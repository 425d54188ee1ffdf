from(bucket: if params.region == "eu" then "eu-bucket" else "us-bucket")
  |> range(start: -1h)
