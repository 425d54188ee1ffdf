f = (
// nothing
) => 1
