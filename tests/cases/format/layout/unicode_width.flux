x = f(aaaaaaaaaaaa: "日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語", bbbbbbbbbbbbbbb: "ééééééééééé")
