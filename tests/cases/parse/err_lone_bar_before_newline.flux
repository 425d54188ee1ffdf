x = params.a |
