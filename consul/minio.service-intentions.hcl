# Consul intentions for the object store (MinIO, Garage, … registered as `minio`;
# nomad/media.nomad.hcl's `minio_service`): the media service writes and reads
# objects through its Connect upstream, and the gateway serves presigned URLs
# (the `/minio/*` route of gateway-config/apisix.yaml). No other Chorus service
# talks to the store: they get presigned URLs from media over gRPC.
#
#   consul config write consul/minio.service-intentions.hcl

Kind = "service-intentions"
Name = "minio"

Sources = [
  {
    Name   = "chorus-media-http"
    Action = "allow"
  },
  {
    Name   = "apisix"
    Action = "allow"
  },
  {
    Name   = "*"
    Action = "deny"
  },
]
