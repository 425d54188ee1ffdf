x = 1 +
// two
2
