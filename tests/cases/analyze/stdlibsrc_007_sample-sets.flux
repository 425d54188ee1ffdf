import "influxdata/influxdb/sample"
import "dict"

info = sample._setInfo(set: params.set)
entry = dict.get(dict: sample._sets, key: params.key, default: params.fallback)
x = [params.info, info]
