from(bucket: "${params.org}_${params.env}")
  |> range(start: -1h)
