import "experimental"

from(bucket: params.bucket)
  |> range(start: -1d)
  |> experimental.alignTime(alignTo: params.alignTo)
