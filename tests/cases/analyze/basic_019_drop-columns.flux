from(bucket: params.bucket)
  |> range(start: -1h)
  |> drop(columns: ["_start", "_stop", params.extraColumn])
