f = (r) => ({a: 1})
g = (r) => ({r with a: 1})
