import "a"
/abc/
