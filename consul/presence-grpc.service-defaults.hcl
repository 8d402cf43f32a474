# chorus-presence-grpc speaks gRPC (HTTP/2) through the mesh.
#
#   consul config write consul/presence-grpc.service-defaults.hcl

Kind     = "service-defaults"
Name     = "chorus-presence-grpc"
Protocol = "grpc"
