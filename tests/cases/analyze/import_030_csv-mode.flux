import "csv"

csv.from(csv: params.csv, mode: params.mode)
