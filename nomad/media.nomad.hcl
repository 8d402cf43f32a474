# Nomad job: the media service alone (`chorus media`: file uploads and downloads,
# stickers), so it deploys independently of the other services. Registers in
# Consul as `chorus-media-http` (APISIX routes to it, Prometheus scrapes it) and
# `chorus-media-grpc` (auth, chat and message call it: Files.GetMany/MayDownload).
# Secrets come from Vault KV v2 at secret/chorus/media, rendered into files:
#
#   vault policy write chorus-media vault/policies/chorus-media.hcl
#   vault write auth/jwt-nomad/role/chorus-media @vault/roles/chorus-media.json   # vault/README.md
#   vault kv put secret/chorus/media \
#     db_url='postgres://chorus_media:…@db.internal:5432/chorus' \
#     redis_url='redis://:…@redis.internal:6379' \
#     amqp_url='amqp://chorus_media:…@rabbitmq.internal:5672/%2f' \
#     s3_access_key='chorus-media' \
#     s3_secret_key='…'
#   nomad job run -var image=registry.example/chorus:1.2.3 nomad/media.nomad.hcl
#
# Object store. The S3 client speaks plain HTTP; it reaches the store (MinIO,
# Garage, … registered in Consul as var.minio_service, with a Connect sidecar)
# through this allocation's sidecar, which carries the traffic over mTLS. The
# upstream listens on 127.0.0.1:9000 and the task resolves the name `minio` to
# 127.0.0.1 (extra_hosts), so the endpoint is `minio:9000` — the same as in
# docker-compose.
#
# The endpoint is also the host every presigned URL is signed for (CONTRACT
# §13.3): browsers fetch objects at var.minio_public_url, and the reverse proxy
# serving that prefix MUST forward to the store with `Host: minio:9000` exactly,
# or every signature fails (403). gateway-config/apisix.yaml's `/minio/*` route
# does that; change the endpoint here and its `host` must change with it.

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

variable "minio_service" {
  type        = string
  default     = "minio"
  description = "Consul name of the S3-compatible object store (Connect-enabled)."
}

variable "minio_public_url" {
  type        = string
  default     = "https://chorus.example/minio"
  description = "Public base of presigned URLs (MINIO_PUBLIC_URL): the gateway's /minio/* route on the API host."
}

job "chorus-media" {
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

  group "media" {
    count = 2

    # Deregister from Consul first (the gateway and the peers' sidecars stop
    # sending new requests), then stop the task, which drains what it has.
    shutdown_delay = "5s"

    network {
      mode = "bridge"
      port "http" {
        to = 8084
      }
    }

    service {
      name     = "chorus-media-http"
      port     = "http"
      provider = "consul"
      tags     = ["chorus", "http", "metrics"]

      # Peers' gRPC APIs through the Consul Connect sidecar on loopback ports
      # 5105x (intentions in consul/); the URLs below point at them. The object
      # store too, on 127.0.0.1:9000 (see the header: `minio:9000`).
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
              destination_name = var.minio_service
              local_bind_port  = 9000
            }
          }
        }
      }

      # Readiness: 503 "degraded" while a dependency is down (media.postgres,
      # media.redis, media.s3 — the store unreachable or its buckets not yet
      # created) takes the instance out of the gateway's rotation without
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

    service {
      name     = "chorus-media-grpc"
      port     = "50054"
      provider = "consul"
      tags     = ["chorus", "grpc"]

      # Inbound mTLS through the Connect sidecar: the peers' upstreams reach
      # this service only through it (intentions in consul/).
      connect {
        sidecar_service {}
      }

      # grpc.health.v1 (tonic-health) for `chorus.media`, through an expose
      # path of the sidecar (the port itself is not published). Readiness of
      # the dependencies is the HTTP /health check of the same allocation.
      check {
        name         = "grpc"
        type         = "grpc"
        grpc_service = "chorus.media"
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

    task "media" {
      driver = "docker"

      config {
        image = var.image
        args  = ["media"]
        ports = ["http"]
        # `minio` is the object-store upstream of the sidecar (loopback of the
        # allocation's network namespace), so the endpoint — and the signed
        # host of presigned URLs — is `minio:9000`, as in docker-compose.
        # Needs Nomad >= 1.1.1 (hosts file shared in bridge mode).
        extra_hosts = ["minio:127.0.0.1"]
      }

      # Vault workload identity: the task's signed identity (audience
      # vault.io) is exchanged at the JWT auth method `jwt-nomad` for a token
      # of role chorus-media, which carries only the policy chorus-media
      # (vault/README.md, vault/roles/chorus-media.json).
      identity {
        name = "vault_default"
        aud  = ["vault.io"]
        ttl  = "1h"
      }

      vault {
        role        = "chorus-media"
        change_mode = "restart"
      }

      template {
        data        = <<-EOT
          {{ with secret "secret/data/chorus/media" }}{{ .Data.data.db_url }}{{ end }}
        EOT
        destination = "secrets/db_url"
        perms       = "0400"
        change_mode = "restart"
      }

      template {
        data        = <<-EOT
          {{ with secret "secret/data/chorus/media" }}{{ .Data.data.redis_url }}{{ end }}
        EOT
        destination = "secrets/redis_url"
        perms       = "0400"
        change_mode = "restart"
      }

      template {
        data        = <<-EOT
          {{ with secret "secret/data/chorus/media" }}{{ .Data.data.amqp_url }}{{ end }}
        EOT
        destination = "secrets/amqp_url"
        perms       = "0400"
        change_mode = "restart"
      }

      template {
        data        = <<-EOT
          {{ with secret "secret/data/chorus/media" }}{{ .Data.data.s3_access_key }}{{ end }}
        EOT
        destination = "secrets/s3_access_key"
        perms       = "0400"
        change_mode = "restart"
      }

      # Signs every presigned URL too: rotating it invalidates the URLs already
      # handed out (they expire after presign_ttl_secs anyway).
      template {
        data        = <<-EOT
          {{ with secret "secret/data/chorus/media" }}{{ .Data.data.s3_secret_key }}{{ end }}
        EOT
        destination = "secrets/s3_secret_key"
        perms       = "0400"
        change_mode = "restart"
      }

      env {
        CHORUS_MEDIA__HTTP_ADDR       = "0.0.0.0:8084"
        CHORUS_MEDIA__GRPC_ADDR       = "127.0.0.1:50054"
        CHORUS_MEDIA__DB__URL_FILE    = "${NOMAD_SECRETS_DIR}/db_url"
        CHORUS_MEDIA__REDIS__URL_FILE = "${NOMAD_SECRETS_DIR}/redis_url"
        CHORUS_MEDIA__AMQP__URL_FILE  = "${NOMAD_SECRETS_DIR}/amqp_url"
        CHORUS_MEDIA__AUTH_GRPC_URL   = "http://127.0.0.1:51051"
        CHORUS_MEDIA__CHAT_GRPC_URL   = "http://127.0.0.1:51052"
        # The sidecar upstream (see config.extra_hosts); also the signed host.
        CHORUS_MEDIA__S3__ENDPOINT           = "minio:9000"
        CHORUS_MEDIA__S3__ACCESS_KEY_FILE    = "${NOMAD_SECRETS_DIR}/s3_access_key"
        CHORUS_MEDIA__S3__SECRET_KEY_FILE    = "${NOMAD_SECRETS_DIR}/s3_secret_key"
        CHORUS_MEDIA__S3__PUBLIC_URL         = var.minio_public_url
        CHORUS_MEDIA__PUBLIC__PRIMARY_DOMAIN = var.primary_domain
        # An OpenTelemetry collector on every client node (e.g. a system job).
        OTEL_EXPORTER_OTLP_ENDPOINT = "http://${attr.unique.network.ip-address}:4317"
        OTEL_SERVICE_NAME           = "chorus-media"
        RUST_LOG                    = "info"
      }

      resources {
        cpu = 500 # MHz
        # Uploads stream to the store in parts of s3.part_size_mib (8 MiB): one
        # part per upload in flight, so ~40 concurrent uploads fit beside the rest.
        memory = 512 # MiB
      }
    }
  }
}
