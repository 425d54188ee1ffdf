offset = -params.offset + 5

offset
