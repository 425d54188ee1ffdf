import "http"
import "json"

from(bucket: params.bucket)
  |> range(start: -1m)
  |> filter(fn: (r) => r._measurement == "orders")
  |> count()
  |> map(fn: (r) => ({r with status: http.post(
      url: params.url,
      headers: {Authorization: "Bearer " + params.token, "Content-Type": "application/json"},
      data: json.encode(v: {count: r._value, shop: params.shop}),
  )}))
