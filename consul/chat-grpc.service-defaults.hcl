# chorus-chat-grpc speaks gRPC (HTTP/2) through the mesh.
#
#   consul config write consul/chat-grpc.service-defaults.hcl

Kind     = "service-defaults"
Name     = "chorus-chat-grpc"
Protocol = "grpc"
