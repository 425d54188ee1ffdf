x = if a then b else c
y = if a then if b then c else d else e
z = if a then b else c |> f()
