// file header
// second line
package foo
