a = "tab\t nl\n cr\r quote\" backslash\\ interp\${x}"
b = ""
c = "日本語 é"
d = "\xe6\x97\xa5"
