f = (r) => {r with x: 1}
