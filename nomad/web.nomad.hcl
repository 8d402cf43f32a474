# Nomad job: the web app (CONTRACT §15.4) — frontend/dist served by nginx with
# gateway-config/web/nginx.conf (the SPA shell for the app's routes, the built
# assets, the downloads). Registers in Consul as `chorus-web-http`; APISIX's
# `chorus-web` route sends it the web-app paths (gateway-config/apisix.yaml).
# No secrets, no gRPC, no Vault.
#
# The bundle is frontend/dist as a tarball somewhere the Nomad clients can
# fetch (an artifact store, an HTTP server), and the downloads (installers
# under downloads/<platform>/) likewise, optional:
#
#   make web && tar -C frontend/dist -czf chorus-web-1.2.3.tar.gz .
#   nomad job run -var web_bundle=https://artifacts.example/chorus-web-1.2.3.tar.gz \
#     nomad/web.nomad.hcl        # from the repository root (file() below)

variable "image" {
  type        = string
  default     = "nginx:1.27.3-alpine"
  description = "The static file server, pinned."
}

variable "datacenters" {
  type    = list(string)
  default = ["dc1"]
}

variable "web_bundle" {
  type        = string
  description = "URL of frontend/dist as a .tar.gz (go-getter source)."
}

job "chorus-web" {
  datacenters = var.datacenters
  type        = "service"

  update {
    max_parallel      = 1
    canary            = 1
    auto_promote      = true
    auto_revert       = true
    health_check      = "checks"
    min_healthy_time  = "10s"
    healthy_deadline  = "3m"
    progress_deadline = "10m"
  }

  group "web" {
    count = 2

    # Deregister from Consul first (the gateway stops sending requests here),
    # then stop nginx.
    shutdown_delay = "5s"

    network {
      mode = "bridge"
      port "http" {
        to = 8088
      }
    }

    service {
      name     = "chorus-web-http"
      port     = "http"
      provider = "consul"
      tags     = ["chorus", "http"]

      check {
        name     = "ready"
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "web" {
      driver = "docker"

      config {
        image = var.image
        ports = ["http"]
        volumes = [
          "local/html:/usr/share/nginx/html:ro",
          "local/downloads:/srv/downloads:ro",
          "local/default.conf:/etc/nginx/conf.d/default.conf:ro",
        ]
      }

      artifact {
        source      = var.web_bundle
        destination = "local/html"
      }

      # The same server configuration as docker-compose's `web` container.
      template {
        data          = file("gateway-config/web/nginx.conf")
        destination   = "local/default.conf"
        change_mode   = "signal"
        change_signal = "SIGHUP"
      }

      resources {
        cpu    = 100 # MHz
        memory = 64  # MiB
      }
    }
  }
}
