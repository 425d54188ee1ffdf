x = f(fn: (r) => r._value > 0)
