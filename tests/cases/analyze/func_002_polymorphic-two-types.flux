double = (v) => v + v

a = double(v: params.count)
b = double(v: 2.5)
c = double(v: "ab")
