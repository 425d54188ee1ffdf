option now = () => params.now

from(bucket: "b") |> range(start: -1h)
