import "strings"

from(bucket: "b")
  |> range(start: -1h)
  |> filter(fn: (r) => r.host =~ params.pat)
  |> filter(fn: (r) => strings.hasPrefix(v: r.host, prefix: params.pat))
