testcase t2 extends "flux/foo_test" {
  super()
}
