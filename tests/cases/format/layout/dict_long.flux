x = ["aaaaaaaaaaaaaaaa": 1, "bbbbbbbbbbbbbbbbbbbbbb": 2, "cccccccccccccccccccccc": 3, "ddddddddddddd": 4]
