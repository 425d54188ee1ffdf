import "slack"

from(bucket: params.bucket)
  |> range(start: -15m)
  |> filter(fn: (r) => r._measurement == "cpu" and r._field == "usage_idle")
  |> mean()
  |> map(fn: (r) => ({r with sent: slack.message(
      url: params.webhook,
      channel: "#ops",
      color: if r._value < params.idleMin then "danger" else "good",
      text: "CPU idle on ${r.host}: ${r._value}",
  )}))
