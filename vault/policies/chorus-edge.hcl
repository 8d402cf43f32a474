# Vault policy `chorus-edge`: the edge reads its own connection URLs — Redis and
# RabbitMQ; it has no database (KV v2 at secret/chorus/edge, rendered by
# nomad/edge.nomad.hcl) — and nothing else.
#
#   vault policy write chorus-edge vault/policies/chorus-edge.hcl

path "secret/data/chorus/edge" {
  capabilities = ["read"]
}
