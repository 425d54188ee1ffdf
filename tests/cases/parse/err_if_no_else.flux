x = if a then b
