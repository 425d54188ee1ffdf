a = not params.flag
b = -params.n - 1
