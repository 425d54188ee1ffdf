import "csv"
option csv.x = 1
