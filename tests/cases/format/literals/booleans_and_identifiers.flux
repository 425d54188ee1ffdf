a = true
b = false
c = _private
d = x1
