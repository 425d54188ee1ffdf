import "generate"

generate.from(
    count: params.points,
    fn: (n) => (n * params.slope + params.intercept) % 100,
    start: params.start,
    stop: params.stop,
)
  |> yield(name: "synthetic")
