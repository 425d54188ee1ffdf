x = if a then 1
// otherwise
else 2
