b = params.bucket



from(bucket: b)


  |> range(start: -1h)
