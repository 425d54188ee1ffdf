f = (
    // the value
    x,
    // the default
    y=1,
) => x + y
