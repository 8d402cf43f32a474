# Consul intentions for the auth HTTP API: the public routes are reached only
# through the gateway (APISIX), and /metrics only by Prometheus.
#
#   consul config write consul/auth-http.service-intentions.hcl

Kind = "service-intentions"
Name = "chorus-auth-http"

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
