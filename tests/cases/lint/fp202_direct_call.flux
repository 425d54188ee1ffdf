t = from(bucket: "b")
x = range(tables: t, start: (params.since))
