x = // neg
not a
