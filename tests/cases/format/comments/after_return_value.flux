f = () => {
    return 1 // one
}
