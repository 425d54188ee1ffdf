x = params.cfg.size + 1
y = params.cfg + 1
