import "dict"

m = ["a": 1, "b": 2]

dict.get(dict: m, key: params.key, default: params.default)
