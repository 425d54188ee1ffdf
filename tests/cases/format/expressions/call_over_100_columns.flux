x = someFunction(firstArgument: "a fairly long string value", second: "another long string value here")
