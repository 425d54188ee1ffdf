option task = {name: "t", every: params.v}

x = params.v + 1
