import "date"

a = date.truncate(t: now(), unit: params.u)
b = params.u + "x"
