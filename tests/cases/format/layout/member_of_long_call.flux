x = someFunction(argumentOne: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", argumentTwo: "bbbbbbbbbbbbbbbbbbbb").field
