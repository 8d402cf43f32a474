# syntax=docker/dockerfile:1
# The `chorus` binary: every service (`chorus <service>`) and the all-in-one
# development mode (`chorus all`). Migrations are compiled into the binary.

FROM rust:1.95-bookworm AS builder
WORKDIR /src
COPY . .
# Protos compile with protox (pure Rust): no protoc needed.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p chorus \
    && install -m 0755 target/release/chorus /usr/local/bin/chorus

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin chorus
COPY --from=builder /usr/local/bin/chorus /usr/local/bin/chorus
USER chorus
# 8080: `chorus all`; 8081 and 50051: auth HTTP and gRPC when it runs alone.
EXPOSE 8080 8081 50051
ENTRYPOINT ["chorus"]
CMD ["all"]
