import "strings"

from(bucket: "b")
  |> range(start: -1h)
  |> filter(fn: (r) => strings.hasPrefix(v: r._measurement, prefix: params.prefix))
