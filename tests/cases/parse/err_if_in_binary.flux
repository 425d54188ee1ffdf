x = 1 + if a then b else c
