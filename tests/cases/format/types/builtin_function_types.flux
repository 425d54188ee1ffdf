builtin a : () => int
builtin b : (x: int, ?y: string, <-tables: stream[A]) => stream[A]
builtin c : (<-: A) => A
builtin d : (fn: (r: A) => B) => [B] where A: Record, B: Comparable + Equatable
