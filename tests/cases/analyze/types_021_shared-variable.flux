x = if params.pick then params.left else params.right

x
