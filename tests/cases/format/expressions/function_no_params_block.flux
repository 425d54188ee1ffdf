f = () => {
    return 0
}
