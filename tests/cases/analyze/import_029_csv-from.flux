import "csv"

csv.from(csv: params.data)
  |> filter(fn: (r) => r.host == params.host)
