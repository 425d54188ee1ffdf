import "date"

t = date.truncate(t: params.t, unit: 1h)

t == now()
