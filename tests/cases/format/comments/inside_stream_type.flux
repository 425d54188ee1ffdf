builtin a : stream[
// rec
{x: int}]
