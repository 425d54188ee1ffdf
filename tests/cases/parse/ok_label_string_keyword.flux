x = ."if"
