x = fron(bucket: "b")
