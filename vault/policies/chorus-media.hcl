# Vault policy `chorus-media`: the media service reads its own secrets and nothing
# else — the connection URLs and the object-store credentials, whose secret key
# also signs every presigned URL (KV v2 at secret/chorus/media, rendered by
# nomad/media.nomad.hcl). Tokens are verified with the keys auth publishes over
# gRPC, so no JWT material is needed here.
#
#   vault policy write chorus-media vault/policies/chorus-media.hcl

path "secret/data/chorus/media" {
  capabilities = ["read"]
}
