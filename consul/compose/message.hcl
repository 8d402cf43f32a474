# docker-compose only: registers the compose `message` container (fixed address on
# the compose network) the way the Nomad job does in deployment, so APISIX and
# Prometheus find it through Consul in both setups.

services {
  id      = "chorus-message-http-compose"
  name    = "chorus-message-http"
  address = "172.28.0.12"
  port    = 8083
  tags    = ["chorus", "http", "metrics"]

  check {
    name     = "message /health"
    http     = "http://172.28.0.12:8083/health"
    interval = "10s"
    timeout  = "2s"
  }
}

services {
  id      = "chorus-message-grpc-compose"
  name    = "chorus-message-grpc"
  address = "172.28.0.12"
  port    = 50053
  tags    = ["chorus", "grpc"]

  check {
    name         = "message gRPC health"
    # grpc.health.v1 (tonic-health), the service's own name
    grpc         = "172.28.0.12:50053/chorus.message"
    grpc_use_tls = false
    interval     = "10s"
    timeout      = "2s"
  }
}
