x = params.v or true
y = true or params.w
