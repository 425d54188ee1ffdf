x = ["a"
// colon
: 1]
