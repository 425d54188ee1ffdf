option task = {name: "t", every: 1h

from(bucket: params.bucket) |> range(start: -task.every)
