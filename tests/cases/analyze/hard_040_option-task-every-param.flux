option task = {name: "t", every: params.every}

from(bucket: "b") |> range(start: -task.every)
