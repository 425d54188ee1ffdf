x = {
    // a
    a: 1,
    b: 2, // trailing b
    // before brace
}
