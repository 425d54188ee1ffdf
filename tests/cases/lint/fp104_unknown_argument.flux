from(bucket: "b", bukket: "c")
