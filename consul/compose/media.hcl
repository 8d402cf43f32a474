# docker-compose only: registers the compose `media` container (fixed address on
# the compose network) the way the Nomad job does in deployment, so APISIX and
# Prometheus find it through Consul in both setups.

services {
  id      = "chorus-media-http-compose"
  name    = "chorus-media-http"
  address = "172.28.0.13"
  port    = 8084
  tags    = ["chorus", "http", "metrics"]

  check {
    name     = "media /health"
    http     = "http://172.28.0.13:8084/health"
    interval = "10s"
    timeout  = "2s"
  }
}

services {
  id      = "chorus-media-grpc-compose"
  name    = "chorus-media-grpc"
  address = "172.28.0.13"
  port    = 50054
  tags    = ["chorus", "grpc"]

  check {
    name         = "media gRPC health"
    # grpc.health.v1 (tonic-health), the service's own name
    grpc         = "172.28.0.13:50054/chorus.media"
    grpc_use_tls = false
    interval     = "10s"
    timeout      = "2s"
  }
}
