f = () => {
    return 1
} // end of f
x = 1
