msg = "${params}"
