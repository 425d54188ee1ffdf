option now = () => 2020-01-01T00:00:00Z
option task = {name: "t", every: 1h}
