import "date/boundaries"

day = boundaries._day_finder(func: (s) => s, td: params.weekday, offset: params.shift)
