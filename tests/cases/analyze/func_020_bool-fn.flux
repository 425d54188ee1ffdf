isBig = (v) => v > 100

isBig(v: params.size)
