f(q: "select *
from x
where y")
