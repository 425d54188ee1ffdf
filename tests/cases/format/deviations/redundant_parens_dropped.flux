a = (f)(a: 1)
b = {a: (1 + 2)}
c = (/abc/) * b
d = a |> (f)()
