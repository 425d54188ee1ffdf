import "generate"

generate.from(start: params.begin, stop: now(), count: 10, fn: (n) => n)
