# docker-compose only: the metrics endpoints of the gateway and the broker, so
# Prometheus finds them through Consul as it does in deployment (where the
# gateway's and the broker's own jobs register `apisix-metrics` and
# `rabbitmq-metrics`). Compose names: Prometheus resolves them on the compose
# network.

services {
  id      = "apisix-metrics-compose"
  name    = "apisix-metrics"
  address = "apisix"
  port    = 9091
  tags    = ["metrics"]
}

services {
  id      = "rabbitmq-metrics-compose"
  name    = "rabbitmq-metrics"
  address = "rabbitmq"
  port    = 15692
  tags    = ["metrics"]
}
