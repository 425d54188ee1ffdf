f = () => {
    a = params.v + 1
    return params.v + "s"
}
