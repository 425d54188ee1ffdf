xs = params.items
msg = "items: ${xs}"
n = length(arr: xs)
