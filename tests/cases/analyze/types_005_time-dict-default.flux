import "dict"

starts = ["today": today()]

dict.get(dict: starts, key: "today", default: params.fallbackStart)
