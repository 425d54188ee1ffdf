import "experimental/geo"

from(bucket: params.bucket)
  |> range(start: -1h)
  |> geo.filterRows(region: {lat: params.lat, lon: params.lon, radius: params.radius}, strict: true)
