n = length(arr: params.values)

n + 1
