a = 1 + 2 - 3 * 4 / 5 % 6 ^ 7
b = a == b and a != b or a < b
c = a <= b and a > b and a >= b
d = s =~ /x/ or s !~ /y/
