# Consul intentions for the message gRPC API (History, Unread, MessageAdmin): the
# chat service (chat-list summaries), the edge (catch-up by seq) and admin
# (MessageAdmin: message stats, moderation, support messages).
#
#   consul config write consul/message-grpc.service-intentions.hcl

Kind = "service-intentions"
Name = "chorus-message-grpc"

Sources = [
  { Name = "chorus-chat-http", Action = "allow" },
  { Name = "chorus-edge-http", Action = "allow" },
  { Name = "chorus-admin-http", Action = "allow" },
  { Name = "*", Action = "deny" },
]
