y = params.cfg + 1
x = params.cfg.size
