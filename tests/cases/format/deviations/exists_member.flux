x = exists (r.a)
