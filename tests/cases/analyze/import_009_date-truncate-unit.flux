import "date"

date.truncate(t: now(), unit: params.unit)
