import "slack"

slack.message(channel: params.channel, color: params.color, text: "disk full on ${params.host}", token: params.token)
