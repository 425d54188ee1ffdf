builtin f : (<-tables: stream[A], columns: [string], fn: (r: A) => B, ?mode: string) => stream[B] where A: Record, B: Record
