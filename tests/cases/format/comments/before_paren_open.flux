x = // open
(1 + 2)
