x = -params.delta

x
