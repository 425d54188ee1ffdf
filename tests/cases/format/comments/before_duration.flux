x = // d
1h
