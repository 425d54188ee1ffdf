x = [
// nothing
]
