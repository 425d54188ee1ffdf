cfg = {params with bucket: "override"}

cfg.limit + 1
