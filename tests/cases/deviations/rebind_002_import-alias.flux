// deviation: rebind
import params "strings"

from(bucket: "b")
  |> range(start: -1h)
  |> filter(fn: (r) => params.hasPrefix(v: r.host, prefix: "web"))
