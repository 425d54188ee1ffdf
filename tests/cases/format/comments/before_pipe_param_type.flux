builtin a : (
// pipe
<-tables: stream[A]) => stream[A]
