import "date"

date.sub(d: 1h, from: params.at)
