params.f(x: 1) + params.g(y: "s")
