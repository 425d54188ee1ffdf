aggregateWindow = (every, fn, column="_value", timeSrc="_stop", timeDst="_time", createEmpty=true, tables=<-) =>
    tables
        |> window(every: every)
        |> fn(column: column)
        |> duplicate(column: timeSrc, as: timeDst)
        |> window(every: inf, timeColumn: timeDst)
