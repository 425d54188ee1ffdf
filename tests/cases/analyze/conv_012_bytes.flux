bytes(v: params.payload)
