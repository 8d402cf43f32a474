# Consul intentions for the media gRPC API (Files: GetMany, MayDownload): auth
# (user avatars), chat (chat avatars) and message (attachments, voice, stickers)
# resolve file ids into presigned URLs and check a file before it is used.
#
#   consul config write consul/media-grpc.service-intentions.hcl

Kind = "service-intentions"
Name = "chorus-media-grpc"

Sources = [
  { Name = "chorus-auth-http", Action = "allow" },
  { Name = "chorus-chat-http", Action = "allow" },
  { Name = "chorus-message-http", Action = "allow" },
  { Name = "*", Action = "deny" },
]
