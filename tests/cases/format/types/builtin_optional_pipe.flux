builtin a : (<-tables: stream[A], ?n: int) => stream[A]
