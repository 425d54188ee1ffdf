option task = {name: "report", cron: "0 9 * * 1-5"}

from(bucket: params.bucket)
  |> range(start: -24h)
  |> aggregateWindow(every: 1h, fn: max)
