s = string(v: params.count)

"count: " + s
