import "json"

json.encode(v: {bucket: params.bucket, limit: params.limit})
