f = (r) => ({_time: r._time, _value: r._value, _field: r._field, _measurement: r._measurement, host: r.host})
