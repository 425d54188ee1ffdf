option task = {name: "state-change", every: 5m}

from(bucket: params.bucket)
  |> range(start: -task.every)
  |> filter(fn: (r) => r._measurement == "service_status")
  |> stateDuration(fn: (r) => r._value == params.downValue, column: "down_for", unit: 1s)
  |> filter(fn: (r) => r.down_for > params.graceSeconds)
  |> group(columns: ["service"])
  |> last(column: "down_for")
