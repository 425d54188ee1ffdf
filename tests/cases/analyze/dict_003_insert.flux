import "dict"

d0 = ["x": 1.0]
d1 = dict.insert(dict: d0, key: params.k, value: params.v)

dict.get(dict: d1, key: "x", default: 0.0)
