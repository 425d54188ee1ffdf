x = // s
"a"
