builtin foo : (<-tables: stream[A], ?n: int, fn: (r: A) => bool) => stream[A] where A: Record
