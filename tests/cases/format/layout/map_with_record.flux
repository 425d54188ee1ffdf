data |> map(fn: (r) => ({r with _value: r._value * 100.0, _field: "percent", unit: "%", host: r.host, region: r.region}))
