import "strings"

parts = [params.env, params.region, params.app]
name = strings.joinStr(arr: parts, v: "-")

from(bucket: name)
  |> range(start: -1h)
  |> filter(fn: (r) => strings.containsStr(v: r._measurement, substr: params.app))
