x = "${r["host"]} and ${ "inner ${ "deep" }" }"
