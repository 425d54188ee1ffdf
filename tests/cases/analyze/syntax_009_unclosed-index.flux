x = params["bucket"

from(bucket: x) |> range(start: -1h)
