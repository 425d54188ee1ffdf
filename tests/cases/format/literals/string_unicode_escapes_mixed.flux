a = "é\n日"
b = "emoji 😀"
