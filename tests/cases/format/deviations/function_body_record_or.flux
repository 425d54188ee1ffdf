x = f(t: (a) => ({}) or b)
