@edition("2022.1")
@other(1, "a")
package foo

@deprecated("use g")
f = () => 1
@mark
g = 2
