x = params.v and true
y = true and params.w
