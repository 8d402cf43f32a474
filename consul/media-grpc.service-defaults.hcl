# chorus-media-grpc speaks gRPC (HTTP/2) through the mesh.
#
#   consul config write consul/media-grpc.service-defaults.hcl

Kind     = "service-defaults"
Name     = "chorus-media-grpc"
Protocol = "grpc"
