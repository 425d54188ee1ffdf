greet = (name) => "hello " + name

greet(name: params.user)
