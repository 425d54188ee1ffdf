a = {r with x: 1}
b = {r with _value: r._value * 2.0, unit: "s"}
c = {r with a:1,b:2,c:3,d:4,e:5}
