# docker-compose only: registers the compose `admin` container (fixed address on
# the compose network) the way the Nomad job does in deployment, so APISIX and
# Prometheus find it through Consul in both setups. Admin serves no gRPC.

services {
  id      = "chorus-admin-http-compose"
  name    = "chorus-admin-http"
  address = "172.28.0.16"
  port    = 8087
  tags    = ["chorus", "http", "metrics"]

  check {
    name     = "admin /health"
    http     = "http://172.28.0.16:8087/health"
    interval = "10s"
    timeout  = "2s"
  }
}
