msg = "items: ${params.items}"
n = length(arr: params.items)
