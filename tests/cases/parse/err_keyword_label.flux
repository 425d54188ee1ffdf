x = .if
