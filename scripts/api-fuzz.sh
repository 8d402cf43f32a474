#!/usr/bin/env bash
# Lets the schemathesis API fuzzer loose on a private `chorus all` (its own
# database, Redis prefix, AMQP exchange and queues, ports and data directory),
# driven by the server's own /openapi.json: every operation with generated valid
# and invalid input, as a logged-in demo user (one worker: CPython 3.11 can fail
# hypothesis's lambda introspection when two threads parse at once). Fails on any 5xx and on any
# response whose status, content type or body the document does not describe.
#
#   scripts/api-fuzz.sh [MAX_SECONDS] [MAX_EXAMPLES_PER_OPERATION]
#
# Bounded in time (default 60 s of fuzzing). Expects target/debug/chorus to be
# built and the Python tools installed (scripts/ensure-pytools.sh); `make
# fuzz-api` does both. Everything it creates is named chorus_t_fuzz_* and is
# removed at the end (scripts/purge-test-leftovers.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly MAX_SECONDS=${1:-60}
readonly MAX_EXAMPLES=${2:-20}
readonly ID="chorus_t_fuzz_$$"
readonly DB_URL=${CHORUS_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
readonly REDIS_URL=${CHORUS_TEST_REDIS_URL:-redis://127.0.0.1:6379}
readonly AMQP_URL=${CHORUS_TEST_AMQP_URL:-amqp://guest:guest@127.0.0.1:5672/%2f}
readonly BIN=target/debug/chorus
readonly ST=target/pytools/bin/schemathesis
readonly DATA_DIR="${TMPDIR:-/tmp}/$ID"
readonly REPORT_DIR=target/api-fuzz

[[ -x $BIN ]] || { echo "api-fuzz: $BIN is not built (cargo build -p chorus)" >&2; exit 2; }
[[ -x $ST ]] || { echo "api-fuzz: schemathesis missing (scripts/ensure-pytools.sh)" >&2; exit 2; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
psql -w -X -q "$DB_URL" -c "CREATE DATABASE $ID" >/dev/null
db_url="${DB_URL%/*}/$ID"

cleanup() {
    [[ -n ${pid:-} ]] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$DATA_DIR"
    scripts/purge-test-leftovers.sh >/dev/null 2>&1 || true
}
trap cleanup EXIT

mkdir -p "$REPORT_DIR"
CHORUS_ALL__HTTP_ADDR="127.0.0.1:$port" \
CHORUS_ALL__DATA_DIR="$DATA_DIR" \
CHORUS_ALL__EMBEDDED_S3_ADDR=127.0.0.1:0 \
CHORUS__DB__URL="$db_url" \
CHORUS__DB__MAX_CONNECTIONS=4 \
CHORUS__REDIS__URL="$REDIS_URL" \
CHORUS__REDIS__PREFIX="$ID:" \
CHORUS__AMQP__URL="$AMQP_URL" \
CHORUS__AMQP__EXCHANGE="$ID" \
CHORUS__AMQP__QUEUE_PREFIX="$ID." \
RUST_LOG=${RUST_LOG:-warn,lapin=error} \
    "$BIN" all --demo >"$REPORT_DIR/server.log" 2>&1 &
pid=$!

# Ready = healthy and the demo users exist.
for _ in $(seq 1 300); do
    if curl -fsS "$base/health" >/dev/null 2>&1 && curl -fsS "$base/users/by-username/bob" >/dev/null 2>&1; then
        break
    fi
    kill -0 "$pid" 2>/dev/null || { echo "api-fuzz: chorus exited; see $REPORT_DIR/server.log" >&2; exit 1; }
    sleep 0.1
done
token=$(curl -fsS -H 'Content-Type: application/json' -d '{"username":"bob","password":"testpass"}' "$base/auth/login" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

echo "api-fuzz: schemathesis against $base for at most ${MAX_SECONDS}s, ${MAX_EXAMPLES} examples per operation"
"$ST" run "$base/openapi.json" \
    --url "$base" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-time "$MAX_SECONDS" \
    --max-examples "$MAX_EXAMPLES" \
    --workers 1 \
    --seed "${API_FUZZ_SEED:-$RANDOM}" \
    --generation-database none \
    --request-timeout 10 \
    --no-color \
    --report junit --report-dir "$REPORT_DIR"
