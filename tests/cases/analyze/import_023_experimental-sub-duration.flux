import "experimental"

from(bucket: "b")
  |> range(start: experimental.subDuration(d: params.lookback, from: now()))
