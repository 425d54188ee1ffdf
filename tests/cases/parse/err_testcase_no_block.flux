testcase t
