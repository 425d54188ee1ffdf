builtin x : stream
