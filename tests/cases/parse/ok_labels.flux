a = .x
b = ."a b"
