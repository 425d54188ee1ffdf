x = [
// nothing
:]
