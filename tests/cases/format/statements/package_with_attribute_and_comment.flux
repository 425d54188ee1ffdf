// Package foo does x.
@edition("2022.1")
package foo

import "a"
