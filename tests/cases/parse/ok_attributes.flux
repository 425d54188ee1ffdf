@edition("2022.1")
package main

@registry("x")
import "array"

@deprecated
x = 1
