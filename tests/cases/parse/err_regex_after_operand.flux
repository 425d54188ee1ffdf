x = a
/b/
