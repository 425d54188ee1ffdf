count = (arr) => length(arr: arr)

count(arr: params.items) + count(arr: [1, 2])
