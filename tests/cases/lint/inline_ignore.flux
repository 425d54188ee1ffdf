from(bucket: "b") |> range(start: params.start) // fluxparams: ignore[FP202]
x = fron(bucket: "b") // fluxparams: ignore[FP201, FP1]
y = frum(bucket: "b") // fluxparams: ignore
z = frim(bucket: "b") // fluxparams: ignore[FP201]
