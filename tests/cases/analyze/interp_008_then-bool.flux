msg = "flag=${params.flag}"
ok = params.flag and true
