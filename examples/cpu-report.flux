// A script an invokable-scripts user would store: every input comes from params.
import "regexp"
import "strings"

from(bucket: params.bucket)
    |> range(start: duration(v: params.lookback))
    |> filter(fn: (r) => r._measurement == "cpu" and r.host =~ regexp.compile(v: params.hostPattern))
    |> filter(fn: (r) => r._value > params.threshold * 1.0)
    |> aggregateWindow(every: 5m, fn: mean)
    |> map(fn: (r) => ({r with label: strings.toUpper(v: params.label)}))
    |> limit(n: params.rows)
