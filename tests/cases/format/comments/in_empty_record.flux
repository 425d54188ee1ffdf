x = {
// nothing
}
