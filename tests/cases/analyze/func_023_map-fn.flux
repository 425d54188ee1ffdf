addField = (tables=<-, name, value) => tables |> map(fn: (r) => ({r with tag: name, extra: value}))

from(bucket: "b")
  |> range(start: -1h)
  |> addField(name: params.tagName, value: params.tagValue)
