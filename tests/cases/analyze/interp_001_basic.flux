"Hello ${params.name}!"
