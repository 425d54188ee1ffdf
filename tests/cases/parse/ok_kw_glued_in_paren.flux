x = (a andb)
