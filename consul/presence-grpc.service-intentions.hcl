# Consul intentions for the presence gRPC API (Apply, Heartbeat, OnlineMany):
# the edge (connection up/down/active/away, node heartbeats), auth (`is_online`
# on profile lookups) and chat (`other_is_online` in the chat list).
#
#   consul config write consul/presence-grpc.service-intentions.hcl

Kind = "service-intentions"
Name = "chorus-presence-grpc"

Sources = [
  { Name = "chorus-edge-http", Action = "allow" },
  { Name = "chorus-auth-http", Action = "allow" },
  { Name = "chorus-chat-http", Action = "allow" },
  { Name = "*", Action = "deny" },
]
