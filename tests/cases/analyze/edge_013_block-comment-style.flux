// first line
// params.x in comment
from(bucket: params.bucket) // trailing comment with params.y
  |> range(start: -1h) // params.z
