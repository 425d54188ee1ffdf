option task = {name: "downsample", every: 1h, offset: 5m, concurrency: 1, retry: 3}
