suffix = if params.prod then "prod" else params.env

"bucket-" + suffix
