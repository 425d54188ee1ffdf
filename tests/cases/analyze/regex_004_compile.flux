import "regexp"

re = regexp.compile(v: params.pattern)

from(bucket: "b")
  |> range(start: -1h)
  |> filter(fn: (r) => r.host =~ re)
