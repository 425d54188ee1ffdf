import "experimental"

from(bucket: params.bucket)
  |> range(start: -params.window)
  |> filter(fn: (r) => r._measurement == "heartbeat")
  |> elapsed(unit: 1s)
  |> filter(fn: (r) => r.elapsed > params.maxGapSeconds)
  |> map(fn: (r) => ({r with gapStart: experimental.subDuration(d: duration(v: r.elapsed * 1000000000), from: r._time)}))
