# docker-compose only: registers the compose `auth` container (fixed address on
# the compose network) the way the Nomad job does in deployment, so APISIX and
# Prometheus find it through Consul in both setups.

services {
  id      = "chorus-auth-http-compose"
  name    = "chorus-auth-http"
  address = "172.28.0.10"
  port    = 8081
  tags    = ["chorus", "http", "metrics"]

  check {
    name     = "auth /health"
    http     = "http://172.28.0.10:8081/health"
    interval = "10s"
    timeout  = "2s"
  }
}

services {
  id      = "chorus-auth-grpc-compose"
  name    = "chorus-auth-grpc"
  address = "172.28.0.10"
  port    = 50051
  tags    = ["chorus", "grpc"]

  check {
    name         = "auth gRPC health"
    # grpc.health.v1 (tonic-health), the service's own name
    grpc         = "172.28.0.10:50051/chorus.auth"
    grpc_use_tls = false
    interval     = "10s"
    timeout      = "2s"
  }
}
