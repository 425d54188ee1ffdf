x = if params.v + 1 > 0 then params.v + 2 else 0
y = if params.v then 1 else 2
