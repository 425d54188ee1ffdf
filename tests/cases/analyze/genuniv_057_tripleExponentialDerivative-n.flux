from(bucket: "b")
  |> range(start: -1h)
  |> tripleExponentialDerivative(n: params.n)
