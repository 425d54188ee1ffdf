x = {a: if b then "cccccccccccccccccccccccccccccccc" else "dddddddddddddddddddddddddddddddddddd", e: 1}
