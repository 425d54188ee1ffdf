f = (tables=<-) => tables |> filter(fn: (r) => r._measurement == "cpu" and r._field == "usage_user") |> mean()
