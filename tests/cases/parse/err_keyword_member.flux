x = r.if
