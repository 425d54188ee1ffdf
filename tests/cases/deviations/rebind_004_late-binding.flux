// deviation: rebind
// params is used first and bound later: still bound by the script.
x = params.every

params = {every: 1m}

from(bucket: "b")
  |> range(start: -1h)
  |> aggregateWindow(every: params.every, fn: mean)
