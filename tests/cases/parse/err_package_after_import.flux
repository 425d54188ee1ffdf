import "strings"
package foo
