/abc/ * _value
