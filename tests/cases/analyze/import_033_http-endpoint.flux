import "http"
import "json"

endpoint = http.endpoint(url: params.webhook)

from(bucket: "alerts")
  |> range(start: -5m)
  |> endpoint(mapFn: (r) => ({headers: {"x-level": params.level}, data: json.encode(v: r)}))()
