x = from(bucket: "b")
