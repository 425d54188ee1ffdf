x = if params.c then params.v + 1 else params.v + "s"
