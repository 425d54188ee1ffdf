import "http"
import "json"

http.post(url: params.url, headers: {"Content-Type": "application/json"}, data: json.encode(v: {value: params.value}))
