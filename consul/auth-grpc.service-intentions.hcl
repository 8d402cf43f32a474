# Consul intentions for the auth gRPC API (Keys, Users, Accounts): every Chorus
# service may call it — they resolve user names, verify tokens against the
# published keys and check privacy; admin also lists and moderates accounts
# (Accounts) — and nothing else may.
# A service's identity in the mesh is its HTTP registration, chorus-<service>-http.
#
#   consul config write consul/auth-grpc.service-intentions.hcl

Kind = "service-intentions"
Name = "chorus-auth-grpc"

Sources = [
  {
    Name   = "chorus-chat-http"
    Action = "allow"
  },
  {
    Name   = "chorus-message-http"
    Action = "allow"
  },
  {
    Name   = "chorus-media-http"
    Action = "allow"
  },
  {
    Name   = "chorus-presence-http"
    Action = "allow"
  },
  {
    Name   = "chorus-admin-http"
    Action = "allow"
  },
  {
    Name   = "chorus-edge-http"
    Action = "allow"
  },
  {
    Name   = "*"
    Action = "deny"
  },
]
