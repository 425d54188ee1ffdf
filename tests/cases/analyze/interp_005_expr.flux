"${params.a + 1} items"
