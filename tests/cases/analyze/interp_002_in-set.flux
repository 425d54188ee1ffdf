from(bucket: "b")
  |> range(start: -1h)
  |> set(key: "msg", value: "host=${params.host} env=${params.env}")
