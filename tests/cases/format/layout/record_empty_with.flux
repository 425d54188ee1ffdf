x = {r with}
