x = f(fn: (r) => ({r with aaaaaaaaaaaaaa: 1, bbbbbbbbbbbbbbbbbbbbb: 2, cccccccccccccccccccccc: 3, dd: 4}))
