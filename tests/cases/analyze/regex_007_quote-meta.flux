import "regexp"

re = regexp.compile(v: "^" + regexp.quoteMeta(v: params.prefix))

from(bucket: "b") |> range(start: -1h) |> filter(fn: (r) => r.host =~ re)
