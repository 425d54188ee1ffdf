builtin foo : (v: A) => A
builtin bar : (?x: int, <-tables: stream[{A with _value: B}]) => stream[A] where A: Record, B: Numeric
