pick = (x, y) => if x > 0 then y else y

s = pick(x: params.sign, y: "s")
i = pick(x: 1.5, y: params.fallback)
