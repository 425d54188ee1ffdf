unused = (x) => x + params.hidden

from(bucket: params.bucket) |> range(start: -1h)
