x = not (r.a =~ /x/)
