# docker-compose only: registers the compose `presence` container (fixed address
# on the compose network) the way the Nomad job does in deployment, so
# Prometheus finds it through Consul in both setups.

services {
  id      = "chorus-presence-http-compose"
  name    = "chorus-presence-http"
  address = "172.28.0.14"
  port    = 8085
  tags    = ["chorus", "http", "metrics"]

  check {
    name     = "presence /health"
    http     = "http://172.28.0.14:8085/health"
    interval = "10s"
    timeout  = "2s"
  }
}

services {
  id      = "chorus-presence-grpc-compose"
  name    = "chorus-presence-grpc"
  address = "172.28.0.14"
  port    = 50055
  tags    = ["chorus", "grpc"]

  check {
    name         = "presence gRPC health"
    # grpc.health.v1 (tonic-health), the service's own name
    grpc         = "172.28.0.14:50055/chorus.presence"
    grpc_use_tls = false
    interval     = "10s"
    timeout      = "2s"
  }
}
