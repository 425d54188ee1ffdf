x = // arr
[1]
