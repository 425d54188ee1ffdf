x = if params.flag then 1
y = 2
