ratio = params.numerator / 3.0

ratio
