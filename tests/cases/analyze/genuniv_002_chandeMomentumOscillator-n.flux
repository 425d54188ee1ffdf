from(bucket: "b")
  |> range(start: -1h)
  |> chandeMomentumOscillator(n: params.n)
