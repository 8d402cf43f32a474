# Nomad job: the admin service alone (`chorus admin`: `/admin-api/*` — dashboard
# stats, user and message moderation, support messaging, the audit log), so it
# deploys independently of the other services. Registers in Consul as
# `chorus-admin-http` (APISIX routes `/admin-api/*` to it, Prometheus scrapes
# /metrics). It serves no gRPC and consumes no events: it owns only its audit
# log (PostgreSQL schema `admin`) and asks the owners over gRPC — auth (Users,
# Accounts, Keys), chat (ChatAdmin) and message (MessageAdmin). Redis holds the
# revocation flags auth sets, so a blocked admin is refused at once: it must be
# the Redis auth writes to (same `redis.prefix`).
# Tokens are verified with the keys auth publishes over gRPC (Keys), so no JWT
# material is needed here.
# Secrets come from Vault KV v2 at secret/chorus/admin, rendered into files:
#
#   vault policy write chorus-admin vault/policies/chorus-admin.hcl
#   vault write auth/jwt-nomad/role/chorus-admin @vault/roles/chorus-admin.json   # vault/README.md
#   vault kv put secret/chorus/admin \
#     db_url='postgres://chorus_admin:…@db.internal:5432/chorus' \
#     redis_url='redis://:…@redis.internal:6379'
#   nomad job run -var image=registry.example/chorus:1.2.3 nomad/admin.nomad.hcl

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

job "chorus-admin" {
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

  group "admin" {
    count = 2

    # Deregister from Consul first (the gateway and the peers' sidecars stop
    # sending new requests), then stop the task, which drains what it has.
    shutdown_delay = "5s"

    network {
      mode = "bridge"
      port "http" {
        to = 8087
      }
    }

    service {
      name     = "chorus-admin-http"
      port     = "http"
      provider = "consul"
      tags     = ["chorus", "http", "metrics"]

      # Peers' gRPC APIs through the Consul Connect sidecar on loopback ports
      # 5105x (intentions in consul/: auth, chat and message grpc allow
      # chorus-admin-http); the URLs below point at them.
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
            upstreams {
              destination_name = "chorus-message-grpc"
              local_bind_port  = 51053
            }
          }
        }
      }

      # Readiness: 503 "degraded" while a dependency is down (admin.postgres,
      # admin.redis) takes the instance out of the gateway's rotation without
      # restarting it.
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

    restart {
      attempts = 3
      interval = "5m"
      delay    = "10s"
      mode     = "delay"
    }

    task "admin" {
      driver = "docker"

      config {
        image = var.image
        args  = ["admin"]
        ports = ["http"]
      }

      # Vault workload identity: the task's signed identity (audience
      # vault.io) is exchanged at the JWT auth method `jwt-nomad` for a token
      # of role chorus-admin, which carries only the policy chorus-admin
      # (vault/README.md, vault/roles/chorus-admin.json).
      identity {
        name = "vault_default"
        aud  = ["vault.io"]
        ttl  = "1h"
      }

      vault {
        role        = "chorus-admin"
        change_mode = "restart"
      }

      template {
        data        = <<-EOT
          {{ with secret "secret/data/chorus/admin" }}{{ .Data.data.db_url }}{{ end }}
        EOT
        destination = "secrets/db_url"
        perms       = "0400"
        change_mode = "restart"
      }

      template {
        data        = <<-EOT
          {{ with secret "secret/data/chorus/admin" }}{{ .Data.data.redis_url }}{{ end }}
        EOT
        destination = "secrets/redis_url"
        perms       = "0400"
        change_mode = "restart"
      }

      env {
        CHORUS_ADMIN__HTTP_ADDR        = "0.0.0.0:8087"
        CHORUS_ADMIN__DB__URL_FILE     = "${NOMAD_SECRETS_DIR}/db_url"
        CHORUS_ADMIN__REDIS__URL_FILE  = "${NOMAD_SECRETS_DIR}/redis_url"
        CHORUS_ADMIN__AUTH_GRPC_URL    = "http://127.0.0.1:51051"
        CHORUS_ADMIN__CHAT_GRPC_URL    = "http://127.0.0.1:51052"
        CHORUS_ADMIN__MESSAGE_GRPC_URL = "http://127.0.0.1:51053"
        # Only APISIX reaches it: the audit log records the client's address
        # from X-Real-IP / X-Forwarded-For.
        CHORUS_ADMIN__TRUST_FORWARDED_FOR    = "true"
        CHORUS_ADMIN__PUBLIC__PRIMARY_DOMAIN = var.primary_domain
        # An OpenTelemetry collector on every client node (e.g. a system job).
        OTEL_EXPORTER_OTLP_ENDPOINT = "http://${attr.unique.network.ip-address}:4317"
        OTEL_SERVICE_NAME           = "chorus-admin"
        RUST_LOG                    = "info"
      }

      resources {
        cpu = 300 # MHz; few requests, the work is done by the owners
        # Auth's Accounts replies may list every active account (up to 64 MiB
        # decoded, §14.6 support users), so keep room above the pool's needs.
        memory = 256 # MiB
      }
    }
  }
}
