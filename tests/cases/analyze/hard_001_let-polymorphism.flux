pair = (a, b) => ({first: a, second: b})

p1 = pair(a: params.x, b: 1)
p2 = pair(a: "s", b: params.y)

p1.second + 1
