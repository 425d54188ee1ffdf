x = (1 + 2
// close
)
