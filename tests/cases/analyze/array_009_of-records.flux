rows = [{name: params.n1, v: 1}, {name: params.n2, v: 2}]

rows[0].name
