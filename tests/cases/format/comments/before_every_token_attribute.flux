// 1
@edition
// 3
(
// 4
"2022.1"
// 5
)
package foo
