f = (
    a,
    b
) => a
