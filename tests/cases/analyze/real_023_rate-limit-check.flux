import "strings"

limitFor = (plan) => if plan == "free" then params.freeLimit else if plan == "pro" then params.proLimit else 1000000

from(bucket: params.bucket)
  |> range(start: -1h)
  |> filter(fn: (r) => r._measurement == "api_calls")
  |> group(columns: ["account", "plan"])
  |> count()
  |> filter(fn: (r) => r._value > limitFor(plan: strings.toLower(v: r.plan)))
