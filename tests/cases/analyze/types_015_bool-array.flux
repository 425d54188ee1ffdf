flags = [true, params.flag]

flags
