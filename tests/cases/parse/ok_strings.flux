a = ""
b = "plain"
c = "esc \n \r \t \\ \" \${x}"
d = "multi
line"
e = "\xc3\xa9"
f = "$"
g = "a$b"
h = "$${x}"
