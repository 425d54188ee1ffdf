package foo

import "strings"
import s "strings"
import "influxdata/influxdb/schema"

x = strings.toUpper(v: "a")
