f = () => {
    @a
    return 1
}
