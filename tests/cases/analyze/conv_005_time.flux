t = time(v: params.at)

from(bucket: "b") |> range(start: t)
