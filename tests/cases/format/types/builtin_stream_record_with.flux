builtin a : (<-tables: stream[{A with _value: B, _time: time}]) => stream[{A with _value: B}]
