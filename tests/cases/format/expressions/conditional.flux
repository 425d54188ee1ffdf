a = if x then 1 else 2
b = if x > 1 then "big" else if x > 0 then "small" else "none"
