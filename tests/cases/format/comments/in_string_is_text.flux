x = "// not a comment"
y = /\/\/ not either/
