# Consul config entry: the auth gRPC service speaks gRPC (HTTP/2), so the service
# mesh routes and observes it per call rather than as opaque TCP.
#
#   consul config write consul/auth-grpc.service-defaults.hcl

Kind     = "service-defaults"
Name     = "chorus-auth-grpc"
Protocol = "grpc"
