arr = [params.a, params.b, params.c]
s = arr[0] + "!"
