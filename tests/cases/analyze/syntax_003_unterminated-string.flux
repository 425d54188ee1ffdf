from(bucket: "telegraf)
  |> range(start: params.start)
