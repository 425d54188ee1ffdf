builtin a : {"with space": int, b: string}
builtin c : {}
