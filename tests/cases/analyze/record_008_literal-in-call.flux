import "experimental"

from(bucket: "b")
  |> range(start: -1h)
  |> experimental.set(o: {env: params.env, team: params.team})
