x = if a then if b then 1 else 2 else 3
