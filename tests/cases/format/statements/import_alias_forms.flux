import "strings"
import str "strings"
import "influxdata/influxdb/v1"
