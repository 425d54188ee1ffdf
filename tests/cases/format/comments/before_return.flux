f = () => {
    // ret
    return 1
}
