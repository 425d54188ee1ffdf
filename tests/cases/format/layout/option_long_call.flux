option location = timezone.location(name: "America/Argentina/ComodRivadavia", offset: 0h, other: "xxxxxxxxxxxxx")
