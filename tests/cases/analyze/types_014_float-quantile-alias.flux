q = params.q

from(bucket: "b")
  |> range(start: -1h)
  |> quantile(q: q)
  |> median(compression: params.compression)
