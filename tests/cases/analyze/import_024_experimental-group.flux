import "experimental"

from(bucket: "b")
  |> range(start: -1h)
  |> experimental.group(mode: "extend", columns: params.extra)
