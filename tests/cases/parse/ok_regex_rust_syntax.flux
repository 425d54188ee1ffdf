x = /a(?i)b\pL[[:alpha:]]a**\z/
