builtin f : (<-tables: stream[A] ?n: int fn: (r: A) => bool) => {A with a: int b: string}
