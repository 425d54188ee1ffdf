a = params.one
b = params.two
c = params.three

from(bucket: params.bucket) |> range(start: -1h)
