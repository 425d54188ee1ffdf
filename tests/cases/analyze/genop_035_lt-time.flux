x = params.v < 2024-01-01T00:00:00Z
y = 2024-01-01T00:00:00Z < params.w
