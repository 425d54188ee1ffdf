x = f(aaaaaaaaaaaa: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", bbbbbbbbbbbbbbb: "bbbbbbbbbbbbbbbbbbbbbbbbbb")
x = f(aaaaaaaaaaaa: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", bbbbbbbbbbbbbbb: "bbbbbbbbbbbbbbbbbbbbbbbbbbb")
