import "experimental"

left = from(bucket: params.leftBucket) |> range(start: -1h)
right = from(bucket: params.rightBucket) |> range(start: -1h)

experimental.join(left: left, right: right, fn: (left, right) => ({left with other: right._value}))
