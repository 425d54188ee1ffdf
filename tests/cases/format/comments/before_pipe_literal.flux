f = (t=
// pipe
<-) => t
