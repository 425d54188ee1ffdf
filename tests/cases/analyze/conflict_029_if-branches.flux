x = if true then params.a else 1
y = params.a + "z"
