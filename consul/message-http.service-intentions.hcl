# Consul intentions for the message HTTP API: the public routes are reached only
# through the gateway (APISIX), and /metrics only by Prometheus.
#
#   consul config write consul/message-http.service-intentions.hcl

Kind = "service-intentions"
Name = "chorus-message-http"

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
