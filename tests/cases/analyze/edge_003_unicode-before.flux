from(bucket: "données-été")
  |> range(start: -1h)
  |> filter(fn: (r) => r.ville == "Zürich" and r._field == params.field)
  |> limit(n: params.n)
