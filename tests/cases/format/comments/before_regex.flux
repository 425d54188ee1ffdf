x = // r
/a/
