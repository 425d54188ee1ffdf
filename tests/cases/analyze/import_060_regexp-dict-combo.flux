import "regexp"
import "dict"

patterns = ["web": "^web-", "db": "^db-"]
re = regexp.compile(v: dict.get(dict: patterns, key: params.role, default: ".*"))

from(bucket: "b") |> range(start: -1h) |> filter(fn: (r) => r.host =~ re)
