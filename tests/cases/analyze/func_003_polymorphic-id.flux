identity = (x) => x

s = identity(x: params.name) + "!"
n = identity(x: 3) + params.offset
