x = f(with: 1, then: 2)
