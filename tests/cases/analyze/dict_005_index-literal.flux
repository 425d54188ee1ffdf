thresholds = ["warn": params.warn, "crit": params.crit]

thresholds
