x = if params.flag 1 else 2
