f = (r) => if r.x
then 1
else 2
