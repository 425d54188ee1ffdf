x = if a
// then
then 1 else 2
