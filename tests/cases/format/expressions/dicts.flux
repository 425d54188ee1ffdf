a = [:]
b = ["a":1, "b":2]
c = [1:"one",2:"two",3:"three",4:"four",5:"five"]
