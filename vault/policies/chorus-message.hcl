# Vault policy `chorus-message`: the message service reads its own connection URLs
# (KV v2 at secret/chorus/message, rendered by nomad/message.nomad.hcl) and nothing else.
#
#   vault policy write chorus-message vault/policies/chorus-message.hcl

path "secret/data/chorus/message" {
  capabilities = ["read"]
}
