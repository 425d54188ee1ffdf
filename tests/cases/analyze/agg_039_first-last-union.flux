data = from(bucket: params.bucket) |> range(start: params.start)

union(tables: [data |> first(), data |> last()])
