x = aaaaa(b: bbbbb(c: ccccc(d: ddddd(e: "eeeeeeeeeeeeeeeeeeeeeeeeeeeeee", f: "ffffffffffffffffffffffffffffff"))))
