f(
// nothing
)
