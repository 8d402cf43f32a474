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

.PHONY: help deps run test test-faults web web-test fmt fmt-check lint bench bench-pipeline bench-web openapi api-types check-api fuzz-api check-deploy desktop test-desktop check-desktop

help:
	@echo 'make run    the whole system on http://localhost:8080 (demo users alice/bob/carol, password testpass)'
	@echo 'make test   every test of the workspace against local PostgreSQL, Redis and RabbitMQ'
	@echo 'make web    build the web app (frontend/dist) when it is missing or stale'
	@echo 'make web-test  the web app: type check, lint, vitest, browser tests in Chromium'
	@echo 'make deps   install/start PostgreSQL, Redis and RabbitMQ if needed'
	@echo 'make check-api  the OpenAPI document: 3.1-valid, TypeScript types current, a short fuzz run'
	@echo 'make fuzz-api   schemathesis against a private chorus all (FUZZ_SECONDS=600)'
	@echo 'make api-types  regenerate frontend/src/api/schema.d.ts from the document'
	@echo 'make check-deploy  gateway routing test, Nomad/Consul/Vault HCL and compose checks, promtool on the alert rules and scrape config'
	@echo 'make bench-pipeline  the send pipeline rate ladder with CPU per process (private servers, release build)'
	@echo 'make bench-web  the web app benchmark: bundle size, chat list (500 chats), open chat, 10 000-message scroll, heap'
	@echo 'make desktop       the desktop app (Tauri 2): .deb and AppImage in frontend/src-tauri/target/release/bundle, copied to downloads/linux'
	@echo 'make test-desktop  the built desktop app under Xvfb, driven by tauri-driver against a private chorus all'
	@echo 'make check-desktop the desktop crate: clippy and its unit tests (no bundling)'
	@echo 'make fmt | fmt-check | lint | bench ARGS="..."'

deps:
	@scripts/ensure-services.sh

run: deps web
	cargo run -p chorus -- all --demo

# The web app that `chorus all` serves, rebuilt when older than its sources.
web:
	@scripts/ensure-webapp.sh

# Type check, lint and unit tests, then the browser tests (Chromium against a
# private `chorus all` serving frontend/dist); needs `cargo build -p chorus`.
web-test: web
	@scripts/ensure-chromium.sh
	cd frontend && npm run typecheck && npm run lint && npm test
	cd frontend && npm run test:browser

# Leftovers of earlier (interrupted) runs are purged before, this run's after;
# the exit status is the tests'.
test: deps
	@scripts/purge-test-leftovers.sh
	# The black-box tests (tests/e2e) start the real binary.
	cargo build -p chorus
	# The API document and the web app first, so the test runner's summary stays the last word.
	$(MAKE) --no-print-directory check-api
	@status=0; \
	$(MAKE) --no-print-directory check-deploy || status=$$?; \
	$(MAKE) --no-print-directory web-test || status=$$?; \
	$(MAKE) --no-print-directory check-desktop || status=$$?; \
	if cargo nextest --version >/dev/null 2>&1; then \
		cargo nextest run --workspace --no-fail-fast || status=$$?; \
	else \
		cargo test --workspace --no-fail-fast || status=$$?; \
	fi; \
	scripts/purge-test-leftovers.sh; \
	exit $$status

# The OpenAPI document of the whole API, as `chorus all` serves it at /openapi.json.
openapi:
	cargo build -p chorus
	@mkdir -p target
	target/debug/chorus openapi > target/openapi.json

api-types: openapi
	@scripts/ensure-node.sh
	cd frontend && node scripts/api-types.mjs write ../target/openapi.json

# How long `make test` lets the fuzzer run; `make fuzz-api` runs longer.
TEST_FUZZ_SECONDS ?= 45
FUZZ_SECONDS ?= 600
FUZZ_EXAMPLES ?= 50

check-api: openapi
	@scripts/ensure-pytools.sh
	@scripts/ensure-node.sh
	target/pytools/bin/openapi-spec-validator target/openapi.json
	cd frontend && node scripts/api-types.mjs check ../target/openapi.json && npx tsc -p tsconfig.api.json
	scripts/api-fuzz.sh $(TEST_FUZZ_SECONDS) 10

fuzz-api: openapi deps
	@scripts/ensure-pytools.sh
	scripts/api-fuzz.sh $(FUZZ_SECONDS) $(FUZZ_EXAMPLES)

# The gateway, deployment and alerting files (scripts/check-deploy.sh): the
# APISIX routes against the API's operations, every HCL file through HashiCorp's
# parser and the reviewer's rules, docker-compose.yml against the Compose
# Specification, promtool on the alert rules (unit tests) and the scrape
# config, and a self-test putting each known defect back. No cargo build: the
# gateway test reads target/openapi.json when `make openapi` made one, else the
# services' #[utoipa::path] annotations.
check-deploy:
	@scripts/check-deploy.sh

# The fault-injection suite (not part of `make test`): private PostgreSQL, Redis
# and RabbitMQ, Chorus as separate processes, members on real WebSockets; one row
# per scenario. FAULTS="<filter> <messages> <rate> [key=value…]" (default: all,
# 2000, 100; keys freeze, latency, latency-for, churn, clients, stay, away, soak,
# sample: see tests/faults/src/options.rs). The defaults include the 10-minute
# ws-churn and the 30-minute soak.
test-faults: deps
	cargo build -p chorus -p chorus-faults
	target/debug/chorus-faults $(FAULTS)

fmt:
	cargo fmt --all

fmt-check:
	cargo fmt --all -- --check

lint:
	cargo clippy --workspace --all-targets -- -D warnings

# Load generator against a running system, e.g. make bench ARGS="--help".
bench:
	cargo run --release -p chorus-bench -- $(ARGS)

# The send pipeline's rate ladder (200 → 2 000 msg/s, up to the knee) with the CPU
# per message of every process, against a release chorus all on private servers;
# PIPELINE="SECONDS GROUP_SIZE GROUPS RATES" overrides the defaults.
bench-pipeline: deps
	scripts/bench-system.sh 'chorus-bench pipeline "$$BENCH_URL" $(PIPELINE)'

# Figures, not a test: starts its own `chorus all` (CHORUS_BIN, else the release
# build when present, else the debug one) and Chromium; see frontend/bench/run.mjs.
bench-web: web
	@scripts/ensure-chromium.sh
	@test -x "$${CHORUS_BIN:-target/release/chorus}" || test -x target/debug/chorus || cargo build -p chorus
	cd frontend && npm run bench

# The desktop app: frontend/src-tauri is its own Cargo workspace with its own
# target/ (the backend's builds never compile WebKitGTK bindings). The web app
# first, then `tauri build` with a .deb and an AppImage (scripts/desktop-build.sh
# says how the AppImage is made when GitHub's linuxdeploy cannot be downloaded).
desktop: web
	@scripts/ensure-desktop.sh
	scripts/desktop-build.sh

# The built app under Xvfb through tauri-driver + WebKitWebDriver against a
# private `chorus all`, in a D-Bus session of its own (single instance, links);
# screenshots in frontend/test-results/desktop/.
test-desktop: deps desktop
	@scripts/ensure-tauri-driver.sh
	@test -x "$${CHORUS_BIN:-target/debug/chorus}" || cargo build -p chorus
	cd frontend && dbus-run-session -- node e2e/desktop.mjs

# What `make test` can afford: rustfmt, clippy and the unit tests of the desktop crate.
check-desktop: web
	@scripts/ensure-desktop.sh
	cd frontend/src-tauri && cargo fmt --check && cargo clippy --all-targets --locked -- -D warnings && cargo test --locked
