# Nomad job: the presence service alone (`chorus presence`: per-connection
# active/away state in Redis, online/offline transitions), so it deploys
# independently of the other services. Registers in Consul as
# `chorus-presence-http` (only /health and /metrics: Prometheus scrapes it, no
# public route) and `chorus-presence-grpc` (Presence: Apply, Heartbeat,
# OnlineMany — called by edge, auth and chat). No database: state lives in Redis,
# `presence.seen` events go to RabbitMQ.
# Secrets come from Vault KV v2 at secret/chorus/presence, rendered into files:
#
#   vault policy write chorus-presence vault/policies/chorus-presence.hcl
#   vault write auth/jwt-nomad/role/chorus-presence @vault/roles/chorus-presence.json   # vault/README.md
#   vault kv put secret/chorus/presence \
#     redis_url='redis://:…@redis.internal:6379' \
#     amqp_url='amqp://chorus_presence:…@rabbitmq.internal:5672/%2f'
#   nomad job run -var image=registry.example/chorus:1.2.3 nomad/presence.nomad.hcl

variable "image" {
  type        = string
  default     = "chorus:0.1.0"
  description = "The chorus image (built from the repository's Dockerfile), pinned: registry/chorus:<version> or @sha256:<digest>."
}

variable "datacenters" {
  type    = list(string)
  default = ["dc1"]
}

job "chorus-presence" {
  datacenters = var.datacenters
  type        = "service"

  # Rolling deploys: one canary first, promoted once healthy in Consul; a
  # deployment that never gets healthy rolls back by itself.
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

  group "presence" {
    count = 2

    # Deregister from Consul first (the gateway and the peers' sidecars stop
    # sending new requests), then stop the task, which drains what it has.
    shutdown_delay = "5s"

    network {
      mode = "bridge"
      port "http" {
        to = 8085
      }
    }

    service {
      name     = "chorus-presence-http"
      port     = "http"
      provider = "consul"
      tags     = ["chorus", "http", "metrics"]

      # Peers' gRPC APIs through the Consul Connect sidecar on loopback ports
      # 5105x (intentions in consul/); the URLs below point at them.
      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "chorus-auth-grpc"
              local_bind_port  = 51051
            }
            upstreams {
              destination_name = "chorus-chat-grpc"
              local_bind_port  = 51052
            }
          }
        }
      }

      # Readiness: 503 "degraded" while Redis or RabbitMQ is down.
      check {
        name     = "ready"
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
      }

      # Liveness: only a process that stops answering is restarted.
      check {
        name     = "live"
        type     = "http"
        path     = "/health/live"
        interval = "10s"
        timeout  = "2s"

        check_restart {
          limit = 3
          grace = "30s"
        }
      }
    }

    service {
      name     = "chorus-presence-grpc"
      port     = "50055"
      provider = "consul"
      tags     = ["chorus", "grpc"]

      # In the mesh, so the edge's, auth's and chat's Connect upstreams
      # `chorus-presence-grpc` find it (consul/presence-grpc.service-intentions.hcl).
      connect {
        sidecar_service {}
      }

      # grpc.health.v1 (tonic-health) for `chorus.presence`, through an expose
      # path of the sidecar (the port itself is not published). Readiness of
      # the dependencies is the HTTP /health check of the same allocation.
      check {
        name         = "grpc"
        type         = "grpc"
        grpc_service = "chorus.presence"
        grpc_use_tls = false
        expose       = true
        interval     = "10s"
        timeout      = "2s"
      }
    }

    restart {
      attempts = 3
      interval = "5m"
      delay    = "10s"
      mode     = "delay"
    }

    task "presence" {
      driver = "docker"

      config {
        image = var.image
        args  = ["presence"]
        ports = ["http"]
      }

      # Vault workload identity: the task's signed identity (audience
      # vault.io) is exchanged at the JWT auth method `jwt-nomad` for a token
      # of role chorus-presence, which carries only the policy chorus-presence
      # (vault/README.md, vault/roles/chorus-presence.json).
      identity {
        name = "vault_default"
        aud  = ["vault.io"]
        ttl  = "1h"
      }

      vault {
        role        = "chorus-presence"
        change_mode = "restart"
      }

      template {
        data        = <<-EOT
          {{ with secret "secret/data/chorus/presence" }}{{ .Data.data.redis_url }}{{ end }}
        EOT
        destination = "secrets/redis_url"
        perms       = "0400"
        change_mode = "restart"
      }

      template {
        data        = <<-EOT
          {{ with secret "secret/data/chorus/presence" }}{{ .Data.data.amqp_url }}{{ end }}
        EOT
        destination = "secrets/amqp_url"
        perms       = "0400"
        change_mode = "restart"
      }

      env {
        CHORUS_PRESENCE__HTTP_ADDR           = "0.0.0.0:8085"
        CHORUS_PRESENCE__GRPC_ADDR           = "127.0.0.1:50055"
        CHORUS_PRESENCE__REDIS__URL_FILE     = "${NOMAD_SECRETS_DIR}/redis_url"
        CHORUS_PRESENCE__AMQP__URL_FILE      = "${NOMAD_SECRETS_DIR}/amqp_url"
        CHORUS_PRESENCE__AUTH_GRPC_URL       = "http://127.0.0.1:51051"
        CHORUS_PRESENCE__CHAT_GRPC_URL       = "http://127.0.0.1:51052"
        # An OpenTelemetry collector on every client node (e.g. a system job).
        OTEL_EXPORTER_OTLP_ENDPOINT          = "http://${attr.unique.network.ip-address}:4317"
        OTEL_SERVICE_NAME                    = "chorus-presence"
        RUST_LOG                             = "info"
      }

      resources {
        cpu    = 300 # MHz
        memory = 128 # MiB; no database pool, state lives in Redis
      }
    }
  }
}
