bucket = if params.useArchive then params.archive else params.live

from(bucket: bucket) |> range(start: -1h)
