// 1
testcase
// 2
t
// 3
{
// 4
x = 1
// 5
}
