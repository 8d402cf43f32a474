# docker-compose only: registers the compose `web` container (the static web
# app, gateway-config/web/nginx.conf; fixed address on the compose network) the
# way nomad/web.nomad.hcl does in deployment, so APISIX finds it through Consul.

services {
  id      = "chorus-web-http-compose"
  name    = "chorus-web-http"
  address = "172.28.0.17"
  port    = 8088
  tags    = ["chorus", "http"]

  check {
    name     = "web /health"
    http     = "http://172.28.0.17:8088/health"
    interval = "10s"
    timeout  = "2s"
  }
}
