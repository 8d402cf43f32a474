# Consul intentions for the chat HTTP API: the public routes are reached only
# through the gateway (APISIX), and /metrics only by Prometheus.
#
#   consul config write consul/chat-http.service-intentions.hcl

Kind = "service-intentions"
Name = "chorus-chat-http"

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
