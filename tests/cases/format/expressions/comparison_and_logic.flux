a = x==1 and y!=2 or not z
b = x < 1 or (y >= 2 and z <= 3)
c = s=~/a/ and t!~/b/
d = not (a and b)
