# Consul intentions for the presence HTTP port: it serves only /health and
# /metrics (no public route, so not the gateway), reached only by Prometheus.
#
#   consul config write consul/presence-http.service-intentions.hcl

Kind = "service-intentions"
Name = "chorus-presence-http"

Sources = [
  {
    Name   = "prometheus"
    Action = "allow"
  },
  {
    Name   = "*"
    Action = "deny"
  },
]
