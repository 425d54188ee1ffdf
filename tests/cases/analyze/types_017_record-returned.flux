cfg = params.cfg

from(bucket: cfg.bucket) |> range(start: cfg.start)
