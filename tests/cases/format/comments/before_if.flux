x =
// cond
if a then 1 else 2
