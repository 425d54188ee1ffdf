x = if params.cond then params.first else params.second
y = x + 1.0
