from(bucket: "b", host: "c")
