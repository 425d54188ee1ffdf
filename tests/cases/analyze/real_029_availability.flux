up = from(bucket: params.bucket)
  |> range(start: -params.window)
  |> filter(fn: (r) => r._measurement == "ping" and r.target == params.target)
  |> map(fn: (r) => ({r with up: if r.result_code == 0 then 1.0 else 0.0}))
  |> mean(column: "up")

up |> map(fn: (r) => ({r with sla: r.up * 100.0 >= params.slaPercent}))
