import "strings"

from(bucket: params.bucket)
  |> range(start: -10m)
  |> filter(fn: (r) => strings.hasPrefix(v: r.topic, prefix: params.topicPrefix + "/"))
  |> map(fn: (r) => {
      parts = strings.split(v: r.topic, t: "/")
      return {r with device: parts[params.deviceIndex], metric: parts[length(arr: parts) - 1]}
  })
