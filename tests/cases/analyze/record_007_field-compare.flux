r = {name: params.name, age: params.age + 0}

r.name == "x"
