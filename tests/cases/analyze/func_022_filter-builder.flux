byTag = (tag, value) => (r) => r[tag] == value

from(bucket: "b")
  |> range(start: -1h)
  |> filter(fn: byTag(tag: "host", value: params.host))
