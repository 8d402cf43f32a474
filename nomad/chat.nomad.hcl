# Nomad job: the chat service alone (`chorus chat`: chats, members, invites), so it deploys independently of
# the other services. Registers in Consul as `chorus-chat-http` (APISIX routes to
# it, Prometheus scrapes it) and `chorus-chat-grpc` (the other services call it).
# Secrets come from Vault KV v2 at secret/chorus/chat, rendered into files:
#
#   vault policy write chorus-chat vault/policies/chorus-chat.hcl
#   vault write auth/jwt-nomad/role/chorus-chat @vault/roles/chorus-chat.json   # vault/README.md
#   vault kv put secret/chorus/chat \
#     db_url='postgres://chorus_chat:…@db.internal:5432/chorus' \
#     redis_url='redis://:…@redis.internal:6379' \
#     amqp_url='amqp://chorus_chat:…@rabbitmq.internal:5672/%2f'
#   nomad job run -var image=registry.example/chorus:1.2.3 nomad/chat.nomad.hcl

variable "image" {
  type        = string
  default     = "chorus:0.1.0"
  description = "The chorus image (built from the repository's Dockerfile), pinned: registry/chorus:<version> or @sha256:<digest>."
}

variable "datacenters" {
  type    = list(string)
  default = ["dc1"]
}

variable "primary_domain" {
  type    = string
  default = "chorus.example"
}

job "chorus-chat" {
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

  group "chat" {
    count = 2

    # Deregister from Consul first (the gateway and the peers' sidecars stop
    # sending new requests), then stop the task, which drains what it has.
    shutdown_delay = "5s"

    network {
      mode = "bridge"
      port "http" {
        to = 8082
      }
    }

    service {
      name     = "chorus-chat-http"
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
              destination_name = "chorus-message-grpc"
              local_bind_port  = 51053
            }
            upstreams {
              destination_name = "chorus-media-grpc"
              local_bind_port  = 51054
            }
            upstreams {
              destination_name = "chorus-presence-grpc"
              local_bind_port  = 51055
            }
          }
        }
      }

      # Readiness: 503 "degraded" while a dependency is down takes the instance
      # out of the gateway's rotation without restarting it.
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
      name     = "chorus-chat-grpc"
      port     = "50052"
      provider = "consul"
      tags     = ["chorus", "grpc"]

      # Inbound mTLS through the Connect sidecar: the peers' upstreams reach
      # this service only through it (intentions in consul/).
      connect {
        sidecar_service {}
      }

      # grpc.health.v1 (tonic-health) for `chorus.chat`, through an expose
      # path of the sidecar (the port itself is not published). Readiness of
      # the dependencies is the HTTP /health check of the same allocation.
      check {
        name         = "grpc"
        type         = "grpc"
        grpc_service = "chorus.chat"
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

    task "chat" {
      driver = "docker"

      config {
        image = var.image
        args  = ["chat"]
        ports = ["http"]
      }

      # Vault workload identity: the task's signed identity (audience
      # vault.io) is exchanged at the JWT auth method `jwt-nomad` for a token
      # of role chorus-chat, which carries only the policy chorus-chat
      # (vault/README.md, vault/roles/chorus-chat.json).
      identity {
        name = "vault_default"
        aud  = ["vault.io"]
        ttl  = "1h"
      }

      vault {
        role        = "chorus-chat"
        change_mode = "restart"
      }

      template {
        data        = <<-EOT
          {{ with secret "secret/data/chorus/chat" }}{{ .Data.data.db_url }}{{ end }}
        EOT
        destination = "secrets/db_url"
        perms       = "0400"
        change_mode = "restart"
      }

      template {
        data        = <<-EOT
          {{ with secret "secret/data/chorus/chat" }}{{ .Data.data.redis_url }}{{ end }}
        EOT
        destination = "secrets/redis_url"
        perms       = "0400"
        change_mode = "restart"
      }

      template {
        data        = <<-EOT
          {{ with secret "secret/data/chorus/chat" }}{{ .Data.data.amqp_url }}{{ end }}
        EOT
        destination = "secrets/amqp_url"
        perms       = "0400"
        change_mode = "restart"
      }

      env {
        CHORUS_CHAT__HTTP_ADDR               = "0.0.0.0:8082"
        CHORUS_CHAT__GRPC_ADDR               = "127.0.0.1:50052"
        CHORUS_CHAT__DB__URL_FILE            = "${NOMAD_SECRETS_DIR}/db_url"
        CHORUS_CHAT__REDIS__URL_FILE         = "${NOMAD_SECRETS_DIR}/redis_url"
        CHORUS_CHAT__AMQP__URL_FILE          = "${NOMAD_SECRETS_DIR}/amqp_url"
        CHORUS_CHAT__AUTH_GRPC_URL = "http://127.0.0.1:51051"
        CHORUS_CHAT__MESSAGE_GRPC_URL = "http://127.0.0.1:51053"
        CHORUS_CHAT__MEDIA_GRPC_URL = "http://127.0.0.1:51054"
        CHORUS_CHAT__PRESENCE_GRPC_URL = "http://127.0.0.1:51055"
        CHORUS_CHAT__PUBLIC__PRIMARY_DOMAIN  = var.primary_domain
        # An OpenTelemetry collector on every client node (e.g. a system job).
        OTEL_EXPORTER_OTLP_ENDPOINT          = "http://${attr.unique.network.ip-address}:4317"
        OTEL_SERVICE_NAME                    = "chorus-chat"
        RUST_LOG                             = "info"
      }

      resources {
        cpu    = 500 # MHz
        memory = 256 # MiB
      }
    }
  }
}
