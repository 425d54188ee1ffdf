// doc
@edition("2022.1")
package foo
