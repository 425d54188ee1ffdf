// params.hidden is only mentioned in this comment
from(bucket: params.bucket)
  |> range(start: -1h)
