label = params.name + "-x"
n = params.name + 1
