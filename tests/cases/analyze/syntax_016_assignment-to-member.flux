params.bucket = "b"
