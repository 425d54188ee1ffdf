x = params.a or params.b

x
