f = () => {
    g = () => {
        h = (x) => {
            return x
        }
        return h(x: 1)
    }
    return g()
}
