import "strings"

from(bucket: params.bucket)
  |> range(start: -1h)
  |> map(fn: (r) => ({r with host: strings.toUpper(v: r.host), note: strings.title(v: params.note)}))
