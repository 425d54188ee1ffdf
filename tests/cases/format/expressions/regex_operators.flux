a = r.host =~ /^server\d+$/
b = r.host !~ /test/
