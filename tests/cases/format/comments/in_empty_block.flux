f = () => {
// nothing
}
