# Consul intentions for the chat gRPC API (Membership, ChatAdmin): the message
# service (membership checks), the edge (subscribe checks), presence (audiences),
# media (may a caller download a file attached in a chat) and admin (ChatAdmin:
# chat stats, a user's chats, support chats).
#
#   consul config write consul/chat-grpc.service-intentions.hcl

Kind = "service-intentions"
Name = "chorus-chat-grpc"

Sources = [
  { Name = "chorus-message-http", Action = "allow" },
  { Name = "chorus-edge-http", Action = "allow" },
  { Name = "chorus-presence-http", Action = "allow" },
  { Name = "chorus-media-http", Action = "allow" },
  { Name = "chorus-admin-http", Action = "allow" },
  { Name = "*", Action = "deny" },
]
