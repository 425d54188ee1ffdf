f = (firstParameter="aaaaaaaaaaaaaaaaaaaaaa", secondParameter="bbbbbbbbbbbbbbbbbbbbbbbb", third=3) => firstParameter
