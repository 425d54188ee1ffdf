msg = "value ${params.v"
