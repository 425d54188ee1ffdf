p = {params with extra: 1}

from(bucket: p.bucket) |> range(start: -1h)
