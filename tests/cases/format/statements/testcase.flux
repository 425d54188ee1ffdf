testcase mytest {
x = 1
testing.assertEqual(got: x, want: 1)
}
