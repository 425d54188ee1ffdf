spans = [1h, params.span]

spans
