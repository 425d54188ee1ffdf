v = {timeRangeStart: -1h}
from(bucket: "telegraf")
    |> range(start: v.timeRangeStart)
