x = someFunction(first: "aaaaaaaaaaaaaaaaaaaaa", second: "bbbbbbbbbbbbbbbbbbbbbbb", third: "cc", fourth: "dd")
