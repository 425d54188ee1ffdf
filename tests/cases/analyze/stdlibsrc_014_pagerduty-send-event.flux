import "pagerduty"

resp = pagerduty._sendEvent(
    pagerdutyURL: params.url,
    routingKey: params.key,
    client: "c",
    clientURL: "u",
    dedupKey: "d",
    class: "cl",
    eventAction: "trigger",
    group: "g",
    severity: params.severity,
    component: "x",
    source: "s",
    summary: params.summary,
    timestamp: "t",
    customDetails: params.details,
)
