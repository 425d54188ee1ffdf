f = (r) => {
    return {r with x: 1}
}
