x = if params.flag then 1 else 0
y = params.flag + "s"
