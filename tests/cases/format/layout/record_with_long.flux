x = {r with aaaaaaaaaaaaaaaaaaaa: "aaaaaaaaaaaaaaaaaaaaaaaaa", bbbbbbbbbbbbbbbbbbb: "bbbbbbbbbbbbbbbbbbbbbbbb"}
