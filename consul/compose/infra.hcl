# docker-compose only: the metrics endpoints of the gateway and the broker, so
# Prometheus finds them through Consul (observability/prometheus.yml). In
# deployment, register each APISIX node's :9091 as `apisix-metrics` and each
# RabbitMQ node's :15692 as `rabbitmq-metrics` the same way (wherever the
# gateway and the broker run: neither is a Chorus Nomad job). The addresses
# here are compose names, which Prometheus resolves on the compose network.

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
