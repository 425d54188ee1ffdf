café = 1
x = "日本語" + café
δ = 2
