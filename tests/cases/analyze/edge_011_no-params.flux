from(bucket: "telegraf")
  |> range(start: -1h)
  |> mean()
