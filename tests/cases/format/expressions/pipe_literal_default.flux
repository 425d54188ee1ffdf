f = (t=<-) => t
g = (tables=<-, x) => tables
