# Consul intentions for the media HTTP API (/files, /stickers): the public routes
# are reached only through the gateway (APISIX), and /metrics only by Prometheus.
#
#   consul config write consul/media-http.service-intentions.hcl

Kind = "service-intentions"
Name = "chorus-media-http"

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
