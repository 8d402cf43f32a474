# Nomad job: the WebSocket edge alone (`chorus edge`: `/ws` connections,
# subscriptions, catch-up by seq and the fan-out of events to clients), so it
# deploys independently of the other services. Registers in Consul as
# `chorus-edge-http` (APISIX routes `/ws` to it, Prometheus scrapes /metrics).
# It serves no gRPC and has no database: it calls auth, chat, message and
# presence over gRPC, consumes the RabbitMQ queue `edge.fanout` and fans events
# out to every edge node through Redis pub/sub.
# Secrets come from Vault KV v2 at secret/chorus/edge, rendered into files:
#
#   vault policy write chorus-edge vault/policies/chorus-edge.hcl
#   vault write auth/jwt-nomad/role/chorus-edge @vault/roles/chorus-edge.json   # vault/README.md
#   vault kv put secret/chorus/edge \
#     redis_url='redis://:…@redis.internal:6379' \
#     amqp_url='amqp://chorus_edge:…@rabbitmq.internal:5672/%2f'
#   nomad job run -var image=registry.example/chorus:1.2.3 nomad/edge.nomad.hcl

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

variable "allowed_origins" {
  type        = list(string)
  default     = []
  description = "Browser origins allowed to open /ws (empty: any; requests without Origin are always allowed)."
}

job "chorus-edge" {
  datacenters = var.datacenters
  type        = "service"

  # Rolling deploys: one canary first, promoted once healthy in Consul; a
  # deployment that never gets healthy rolls back by itself. Clients of a
  # replaced node reconnect (backoff from 1 s) and catch up by seq.
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

  group "edge" {
    count = 2

    # Deregister from Consul first, so APISIX stops sending new upgrades here,
    # then signal the task (which drains its connections, see kill_timeout).
    shutdown_delay = "5s"

    network {
      mode = "bridge"
      port "http" {
        to = 8086
      }
    }

    service {
      name     = "chorus-edge-http"
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
            upstreams {
              destination_name = "chorus-message-grpc"
              local_bind_port  = 51053
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

    restart {
      attempts = 3
      interval = "5m"
      delay    = "10s"
      mode     = "delay"
    }

    task "edge" {
      driver = "docker"

      config {
        image = var.image
        args  = ["edge"]
        ports = ["http"]
      }

      # Graceful drain on SIGTERM: open WebSockets get drain_timeout_secs
      # (default 5 s) to receive their close frame before the edge exits.
      # Generous, so the drain always finishes before Nomad sends SIGKILL; keep
      # it well above drain_timeout_secs if that is raised.
      kill_signal  = "SIGTERM"
      kill_timeout = "30s"

      # Vault workload identity: the task's signed identity (audience
      # vault.io) is exchanged at the JWT auth method `jwt-nomad` for a token
      # of role chorus-edge, which carries only the policy chorus-edge
      # (vault/README.md, vault/roles/chorus-edge.json).
      identity {
        name = "vault_default"
        aud  = ["vault.io"]
        ttl  = "1h"
      }

      vault {
        role        = "chorus-edge"
        change_mode = "restart"
      }

      template {
        data        = <<-EOT
          {{ with secret "secret/data/chorus/edge" }}{{ .Data.data.redis_url }}{{ end }}
        EOT
        destination = "secrets/redis_url"
        perms       = "0400"
        change_mode = "restart"
      }

      template {
        data        = <<-EOT
          {{ with secret "secret/data/chorus/edge" }}{{ .Data.data.amqp_url }}{{ end }}
        EOT
        destination = "secrets/amqp_url"
        perms       = "0400"
        change_mode = "restart"
      }

      env {
        CHORUS_EDGE__HTTP_ADDR               = "0.0.0.0:8086"
        # One stable node id per allocation (names this node's connections and
        # heartbeats in Redis) instead of a generated one per process start.
        CHORUS_EDGE__NODE_ID                 = "${NOMAD_ALLOC_ID}"
        CHORUS_EDGE__TRUST_FORWARDED_FOR     = "true"
        # A list, e.g. ["https://chorus.example"]; [] allows every origin.
        CHORUS_EDGE__ALLOWED_ORIGINS         = jsonencode(var.allowed_origins)
        CHORUS_EDGE__REDIS__URL_FILE         = "${NOMAD_SECRETS_DIR}/redis_url"
        CHORUS_EDGE__AMQP__URL_FILE          = "${NOMAD_SECRETS_DIR}/amqp_url"
        CHORUS_EDGE__AUTH_GRPC_URL           = "http://127.0.0.1:51051"
        CHORUS_EDGE__CHAT_GRPC_URL           = "http://127.0.0.1:51052"
        CHORUS_EDGE__MESSAGE_GRPC_URL        = "http://127.0.0.1:51053"
        CHORUS_EDGE__PRESENCE_GRPC_URL       = "http://127.0.0.1:51055"
        CHORUS_EDGE__PUBLIC__PRIMARY_DOMAIN  = var.primary_domain
        # An OpenTelemetry collector on every client node (e.g. a system job).
        OTEL_EXPORTER_OTLP_ENDPOINT          = "http://${attr.unique.network.ip-address}:4317"
        OTEL_SERVICE_NAME                    = "chorus-edge"
        RUST_LOG                             = "info"
      }

      resources {
        cpu    = 1000 # MHz; frame encoding and fan-out for many connections
        memory = 512  # MiB; per connection: socket buffers plus a send queue of send_queue_frames
      }
    }
  }
}
