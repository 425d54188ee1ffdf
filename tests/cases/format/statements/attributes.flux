@edition("2022.1")
package foo

@deprecated
x = 1
