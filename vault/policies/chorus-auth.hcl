# Vault policy `chorus-auth`: the auth service reads its own secrets and nothing
# else — the JWT signing key and the connection URLs (KV v2 at secret/chorus/auth,
# rendered by the Nomad job nomad/auth.nomad.hcl).
#
#   vault policy write chorus-auth vault/policies/chorus-auth.hcl

path "secret/data/chorus/auth" {
  capabilities = ["read"]
}
