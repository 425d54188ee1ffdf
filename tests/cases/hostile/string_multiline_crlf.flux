x = "a
b
"
