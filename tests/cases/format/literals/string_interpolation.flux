a = "value: ${r._value} and ${1 + 2}"
b = "${x}"
c = "nested ${"inner ${y}"}"
