f(a: )
