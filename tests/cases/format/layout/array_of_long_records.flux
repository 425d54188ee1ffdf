x = [{aaaaaaaaaaaa: 1, bbbbbbbbbbbbb: 2, ccccccccccccc: 3}, {aaaaaaaaaaaa: 4, bbbbbbbbbbbbb: 5, ccccccccccccc: 6}]
