import "experimental/date/boundaries"

week = boundaries._week_formatter(s: params.start)
day = boundaries._day_formatter(s: now())
x = [params.bounds, week]
