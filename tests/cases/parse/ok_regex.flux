a = /abc/
b = /^web\/[0-9]+$/
c = /a.*b/ 
d = r._m =~ /cpu.*/ and r.h !~ /x/
e = /\d+\s(?i)x/
