x = "${r.a}-${f(v: 1)}-${if a then "x" else "y"}-${[1][0]}"
