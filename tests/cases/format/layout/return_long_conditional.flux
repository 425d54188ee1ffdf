f = (x) => {
    return if x > 1000000 then "a very long string value number one" else "another long string value two"
}
