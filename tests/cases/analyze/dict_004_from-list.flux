import "dict"

d = dict.fromList(pairs: [{key: params.k1, value: 1}, {key: "b", value: params.v2}])
