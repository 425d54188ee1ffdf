testcase t1 {
  x = 1
  assert(v: x)
}
