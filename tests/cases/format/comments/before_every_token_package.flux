// 1
package
// 2
foo
