import "timezone"

timezone.fixed(offset: params.offset)
