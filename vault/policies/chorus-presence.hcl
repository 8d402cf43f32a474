# Vault policy `chorus-presence`: the presence service reads its own connection
# URLs — Redis and RabbitMQ; it has no database (KV v2 at secret/chorus/presence,
# rendered by nomad/presence.nomad.hcl) — and nothing else.
#
#   vault policy write chorus-presence vault/policies/chorus-presence.hcl

path "secret/data/chorus/presence" {
  capabilities = ["read"]
}
