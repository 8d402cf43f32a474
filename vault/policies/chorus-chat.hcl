# Vault policy `chorus-chat`: the chat service reads its own connection URLs
# (KV v2 at secret/chorus/chat, rendered by nomad/chat.nomad.hcl) and nothing else.
#
#   vault policy write chorus-chat vault/policies/chorus-chat.hcl

path "secret/data/chorus/chat" {
  capabilities = ["read"]
}
