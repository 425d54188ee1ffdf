import "date"

date.time(t: params.when) > 2024-01-01T00:00:00Z
