option now = () => 2024-01-01T00:00:00Z

from(bucket: params.bucket)
  |> range(start: -params.lookback)
