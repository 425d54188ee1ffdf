times = [params.t0, 2024-01-01T00:00:00Z]

length(arr: times)
