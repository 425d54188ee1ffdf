a |> filter(fn: (r) => r._measurement == "cpu" and r._field == "usage_user" and r.cpu == "c")
a |> filter(fn: (r) => r._measurement == "cpu" and r._field == "usage_user" and r.cpu == "cp")
