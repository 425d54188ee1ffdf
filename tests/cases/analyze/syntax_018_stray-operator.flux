x = params.a + * 2
