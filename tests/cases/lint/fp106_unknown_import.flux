import "nosuchpkg"

x = 1
