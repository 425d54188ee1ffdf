x = a<-b
