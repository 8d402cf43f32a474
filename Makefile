# Chorus — developer entry points. `make run` and `make test` are all you need;
# both first make sure PostgreSQL, Redis and RabbitMQ run locally (`make deps`).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ifdef CI
export CARGO_TERM_COLOR := never
endif

# Where the integration tests find their servers (override from the environment).
test: export CHORUS_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
test: export CHORUS_TEST_REDIS_URL ?= redis://127.0.0.1:6379
test: export CHORUS_TEST_AMQP_URL ?= amqp://guest:guest@127.0.0.1:5672/%2f

.PHONY: help deps run test fmt fmt-check lint bench

help:
	@echo 'make run    the whole system on http://localhost:8080 (demo users alice/bob/carol, password testpass)'
	@echo 'make test   every test of the workspace against local PostgreSQL, Redis and RabbitMQ'
	@echo 'make deps   install/start PostgreSQL, Redis and RabbitMQ if needed'
	@echo 'make fmt | fmt-check | lint | bench ARGS="..."'

deps:
	@scripts/ensure-services.sh

run: deps
	cargo run -p chorus -- all --demo

# Leftovers of earlier (interrupted) runs are purged before, this run's after;
# the exit status is the tests'.
test: deps
	@scripts/purge-test-leftovers.sh
	# The black-box tests (tests/e2e) start the real binary.
	cargo build -p chorus
	@status=0; \
	if cargo nextest --version >/dev/null 2>&1; then \
		cargo nextest run --workspace --no-fail-fast || status=$$?; \
	else \
		cargo test --workspace --no-fail-fast || status=$$?; \
	fi; \
	scripts/purge-test-leftovers.sh; \
	exit $$status

fmt:
	cargo fmt --all

fmt-check:
	cargo fmt --all -- --check

lint:
	cargo clippy --workspace --all-targets -- -D warnings

# Load generator against a running system, e.g. make bench ARGS="--help".
bench:
	cargo run --release -p chorus-bench -- $(ARGS)
