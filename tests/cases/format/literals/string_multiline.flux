a = "line one
line two
    indented"
