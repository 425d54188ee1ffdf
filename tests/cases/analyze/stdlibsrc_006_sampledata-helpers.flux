import "sampledata"
import "csv"

csv.from(csv: sampledata._numeric(includeNull: params.withNulls))
    |> filter(fn: (r) => r.tag == params.tag)
