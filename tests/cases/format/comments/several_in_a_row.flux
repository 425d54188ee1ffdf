x = 1
// one
// two

// three
y = 2
