x = if r._value > 100.0 then "very very very high value here" else if r._value > 50.0 then "medium value" else "low value"
