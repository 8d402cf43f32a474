# Consul intentions for the edge HTTP port (the WebSocket /ws, /health,
# /metrics): /ws is reached only through the gateway (APISIX), and /metrics only
# by Prometheus.
#
#   consul config write consul/edge-http.service-intentions.hcl

Kind = "service-intentions"
Name = "chorus-edge-http"

Sources = [
  {
    Name   = "apisix"
    Action = "allow"
  },
  {
    Name   = "prometheus"
    Action = "allow"
  },
  {
    Name   = "*"
    Action = "deny"
  },
]
