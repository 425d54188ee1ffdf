x = {r withx: 1}
