    // indented   
x = 1   
