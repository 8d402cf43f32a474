# docker-compose only: registers the compose `chat` container (fixed address on
# the compose network) the way the Nomad job does in deployment, so APISIX and
# Prometheus find it through Consul in both setups.

services {
  id      = "chorus-chat-http-compose"
  name    = "chorus-chat-http"
  address = "172.28.0.11"
  port    = 8082
  tags    = ["chorus", "http", "metrics"]

  check {
    name     = "chat /health"
    http     = "http://172.28.0.11:8082/health"
    interval = "10s"
    timeout  = "2s"
  }
}

services {
  id      = "chorus-chat-grpc-compose"
  name    = "chorus-chat-grpc"
  address = "172.28.0.11"
  port    = 50052
  tags    = ["chorus", "grpc"]

  check {
    name         = "chat gRPC health"
    # grpc.health.v1 (tonic-health), the service's own name
    grpc         = "172.28.0.11:50052/chorus.chat"
    grpc_use_tls = false
    interval     = "10s"
    timeout      = "2s"
  }
}
