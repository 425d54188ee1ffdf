option now = () => 2020-01-01T00:00:00Z
option location = timezone.location(name: "America/Denver")
option task = {name: "x", every: 1h}
