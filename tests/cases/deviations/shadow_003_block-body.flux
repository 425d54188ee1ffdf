// deviation: shadow
// shadow-begin
describe = (params) => {
    label = params.name + ": "
    return label + string(v: params.value)
}
// shadow-end

x = describe(params: {name: "cpu", value: 1.5})

from(bucket: params.bucket)
  |> range(start: -1h)
  |> set(key: "desc", value: x)
  |> aggregateWindow(every: params.every, fn: mean)
