x = 1١h
