r = {host: params.host}

r.host == "a" and r.host + "" == "b"
