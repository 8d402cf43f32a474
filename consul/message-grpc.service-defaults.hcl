# chorus-message-grpc speaks gRPC (HTTP/2) through the mesh.
#
#   consul config write consul/message-grpc.service-defaults.hcl

Kind     = "service-defaults"
Name     = "chorus-message-grpc"
Protocol = "grpc"
