import "generate"

generate.from(count: params.count, fn: (n) => n * params.step, start: 2021-01-01T00:00:00Z, stop: 2021-01-02T00:00:00Z)
