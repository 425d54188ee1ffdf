import "strings"

crit = params.crit
warn = params.warn

levelOf = (v) =>
    if v >= crit then "crit"
    else if v >= warn then "warn"
    else "ok"

from(bucket: params.bucket)
  |> range(start: -5m)
  |> filter(fn: (r) => r._measurement == "disk" and r._field == "used_percent")
  |> last()
  |> map(fn: (r) => ({
      r with
      _level: levelOf(v: r._value),
      _message: strings.toUpper(v: r.host) + " disk at " + string(v: r._value) + "%",
  }))
  |> filter(fn: (r) => r._level != "ok")
