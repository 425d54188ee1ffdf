x = {
    // key
    "quoted": 1,
}
