calibrate = (v, offset=0.0, gain=1.0) => (v + offset) * gain

from(bucket: params.bucket)
  |> range(start: -1h)
  |> filter(fn: (r) => r.sensor == params.sensor)
  |> map(fn: (r) => ({r with _value: calibrate(v: r._value, offset: params.offset, gain: params.gain)}))
  |> aggregateWindow(every: 1m, fn: mean)
