total = from(bucket: params.bucket)
  |> range(start: params.start)
  |> filter(fn: (r) => r._measurement == "http_requests" and r.service == params.service)
  |> aggregateWindow(every: params.every, fn: sum)

errors = total
  |> filter(fn: (r) => r.status =~ /^5/)

join(tables: {total: total, errors: errors}, on: ["_time", "service"])
  |> map(fn: (r) => ({_time: r._time, service: r.service, rate: float(v: r._value_errors) / float(v: r._value_total) * 100.0}))
  |> filter(fn: (r) => r.rate > params.maxRate)
