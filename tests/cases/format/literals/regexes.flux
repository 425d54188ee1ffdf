a = /abc/
b = /^a.*b$/
c = /a\/b/
d = /\d+\.\d*/
e = r._value =~ /x/
