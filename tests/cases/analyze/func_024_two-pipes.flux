clean = (tables=<-) => tables |> drop(columns: ["_start", "_stop"])
cap = (tables=<-, max) => tables |> limit(n: max)

from(bucket: params.bucket)
  |> range(start: -1h)
  |> clean()
  |> cap(max: params.max)
