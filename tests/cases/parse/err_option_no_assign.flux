option x
