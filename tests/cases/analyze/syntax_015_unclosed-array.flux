hosts = [params.a, params.b

hosts
