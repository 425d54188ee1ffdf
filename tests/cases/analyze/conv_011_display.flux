display(v: params.anything)
