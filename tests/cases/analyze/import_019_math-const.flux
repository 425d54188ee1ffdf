import "math"

area = math.pi * params.radius * params.radius

area
