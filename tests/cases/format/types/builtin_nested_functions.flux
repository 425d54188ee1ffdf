builtin a : (f: (x: (y: int) => int) => int) => int
