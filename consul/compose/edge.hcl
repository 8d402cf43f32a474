# docker-compose only: registers the compose `edge` container (fixed address on
# the compose network) the way the Nomad job does in deployment, so APISIX and
# Prometheus find it through Consul in both setups. The edge serves no gRPC.

services {
  id      = "chorus-edge-http-compose"
  name    = "chorus-edge-http"
  address = "172.28.0.15"
  port    = 8086
  tags    = ["chorus", "http", "metrics"]

  check {
    name     = "edge /health"
    http     = "http://172.28.0.15:8086/health"
    interval = "10s"
    timeout  = "2s"
  }
}
