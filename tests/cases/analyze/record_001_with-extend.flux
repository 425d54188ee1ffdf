base = {host: "a", region: params.region}
ext = {base with zone: params.zone}

ext.zone + ext.region
