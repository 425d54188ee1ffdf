import "strings"

from(bucket: "b")
  |> range(start: -1h)
  |> filter(fn: (r) => strings.containsStr(v: r.host, substr: params.needle))
