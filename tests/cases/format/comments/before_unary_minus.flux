x = // neg
-a
