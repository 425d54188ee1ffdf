option now = () => 2021-01-01T00:00:00Z
option task = {name: "t", every: 1h}
option foo.bar = 1
