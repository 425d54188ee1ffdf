msg = "${params.cfg.name}"

msg
