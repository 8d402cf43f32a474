# Vault policy `chorus-admin`: the admin service reads its own connection URLs —
# PostgreSQL (its audit log, schema `admin`) and Redis (the revocation flags auth
# sets); it uses no RabbitMQ (KV v2 at secret/chorus/admin, rendered by
# nomad/admin.nomad.hcl) — and nothing else. Tokens are verified with the keys
# auth publishes over gRPC, so no JWT material is needed here.
#
#   vault policy write chorus-admin vault/policies/chorus-admin.hcl

path "secret/data/chorus/admin" {
  capabilities = ["read"]
}
