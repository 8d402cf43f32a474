# Consul intentions for the admin HTTP API (/admin-api/*, /health, /metrics):
# the public routes are reached only through the gateway (APISIX), and /metrics
# only by Prometheus. (Its outbound calls to auth, chat and message gRPC are
# allowed by their intentions, which list chorus-admin-http.)
#
#   consul config write consul/admin-http.service-intentions.hcl

Kind = "service-intentions"
Name = "chorus-admin-http"

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
