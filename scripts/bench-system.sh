#!/usr/bin/env bash
# A private system to measure: a release `chorus all --demo` on its own
# PostgreSQL cluster (pg_stat_statements loaded), Redis and RabbitMQ node, on
# ports of their own, so that the CPU of each process counts only this system
# (the machine's shared servers keep serving tests meanwhile). Runs the given
# command with these in its environment, prints PostgreSQL's busiest statements,
# then stops everything:
#   BENCH_URL      the API (http://127.0.0.1:PORT)
#   BENCH_DB_URL   the database
#   BENCH_ROOTS    chorus=PID,postgres=PID,rabbitmq=PID,redis=PID (chorus-bench's
#                  CPU per process reads it)
#   BENCH_CHORUS_PID
# e.g. scripts/bench-system.sh 'target/release/chorus-bench pipeline "$BENCH_URL"'
# BIN / BENCH_BIN: the binaries (default: release, built when missing);
# BENCH_DIR: where the servers keep their data (default a fresh temporary one).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 1 ]] || { echo "usage: $0 'COMMAND using \$BENCH_URL …'" >&2; exit 2; }
BIN=${BIN:-target/release/chorus}
BENCH_BIN=${BENCH_BIN:-target/release/chorus-bench}
if [[ ! -x $BIN || ! -x $BENCH_BIN ]]; then
    cargo build --release -p chorus -p chorus-bench
fi
[[ $(id -u) == 0 ]] || { echo "bench-system: needs root (runs PostgreSQL as the postgres user)" >&2; exit 2; }

DIR=${BENCH_DIR:-$(mktemp -d /tmp/chorus-bench-system.XXXXXX)}
mkdir -p "$DIR"; chmod 755 "$DIR"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "bench-system: port $1 did not open" >&2; return 1; }
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_port=$(free_port); redis_port=$(free_port); amqp_port=$(free_port); dist_port=$(free_port); http_port=$(free_port)

cleanup() {
    set +e
    [[ -n ${chorus_pid:-} ]] && kill -TERM "$chorus_pid" 2>/dev/null && wait "$chorus_pid" 2>/dev/null
    # The node runs in a session of its own (setsid): all of it goes.
    [[ -n ${rabbit_sid:-} ]] && pkill -KILL -s "$rabbit_sid" 2>/dev/null
    [[ -n ${redis_pid:-} ]] && kill -KILL "$redis_pid" 2>/dev/null
    [[ -f $DIR/pg/data/postmaster.pid ]] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -m immediate -w stop >/dev/null 2>&1
    [[ -z ${BENCH_DIR:-} ]] && rm -rf "$DIR"
    return 0
}
trap cleanup EXIT INT TERM

# PostgreSQL: the machine's defaults (fsync, synchronous_commit on) plus statement statistics.
mkdir -p "$DIR/pg"; chown -R postgres:postgres "$DIR/pg"
runuser -u postgres -- "$PG_BIN/initdb" -U postgres --auth=trust -E UTF8 -D "$DIR/pg/data" >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -w -l "$DIR/pg/server.log" -o \
    "-p $pg_port -k $DIR/pg -c listen_addresses=127.0.0.1 -c max_connections=100 -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all" \
    start >/dev/null
psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc 'CREATE DATABASE chorus'
psql -h 127.0.0.1 -p "$pg_port" -U postgres -d chorus -qc 'CREATE EXTENSION pg_stat_statements'
pg_root=$(head -1 "$DIR/pg/data/postmaster.pid")

redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
redis_pid=$!; disown "$redis_pid"

mkdir -p "$DIR/rabbit/log"
echo '[].' >"$DIR/rabbit/enabled_plugins"
printf 'listeners.tcp.local = 127.0.0.1:%s\nloopback_users = none\n' "$amqp_port" >"$DIR/rabbit/rabbitmq.conf"
(cd "$DIR/rabbit" && HOME="$DIR/rabbit" RABBITMQ_CONF_ENV_FILE="$DIR/rabbit/none-env" RABBITMQ_NODENAME="bench$$@localhost" \
    RABBITMQ_DIST_PORT=$dist_port RABBITMQ_MNESIA_BASE="$DIR/rabbit/mnesia" RABBITMQ_LOG_BASE="$DIR/rabbit/log" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/rabbit/enabled_plugins" RABBITMQ_CONFIG_FILE="$DIR/rabbit/rabbitmq.conf" \
    ERL_EPMD_ADDRESS=127.0.0.1 setsid /usr/lib/rabbitmq/bin/rabbitmq-server >/dev/null 2>&1) &
rabbit_pid=$!; disown "$rabbit_pid"
wait_port "$redis_port"; wait_port "$amqp_port"
rabbit_sid=$(ps -o sid= -p "$(pgrep -P "$rabbit_pid" | head -1)" | tr -d ' ')

CHORUS_ALL__HTTP_ADDR="127.0.0.1:$http_port" \
CHORUS_ALL__DATA_DIR="$DIR/data" \
CHORUS_ALL__EMBEDDED_S3_ADDR=127.0.0.1:0 \
CHORUS__DB__URL="postgres://postgres@127.0.0.1:$pg_port/chorus" \
CHORUS__REDIS__URL="redis://127.0.0.1:$redis_port" \
CHORUS__AMQP__URL="amqp://guest:guest@127.0.0.1:$amqp_port/%2f" \
RUST_LOG=${RUST_LOG:-warn,lapin=error} \
    "$BIN" all --demo >"$DIR/chorus.log" 2>&1 &
chorus_pid=$!
base="http://127.0.0.1:$http_port"
for _ in $(seq 1 600); do
    curl -fsS "$base/users/by-username/bob" >/dev/null 2>&1 && break
    kill -0 "$chorus_pid" 2>/dev/null || { echo "bench-system: chorus exited; see $DIR/chorus.log" >&2; exit 1; }
    sleep 0.1
done
beam=$(pgrep -s "$rabbit_sid" beam.smp || echo "$rabbit_pid")

export BENCH_URL=$base BENCH_DB_URL="postgres://postgres@127.0.0.1:$pg_port/chorus" BENCH_CHORUS_PID=$chorus_pid
export BENCH_ROOTS="chorus=$chorus_pid,postgres=$pg_root,rabbitmq=$rabbit_pid,redis=$redis_pid"
export PATH="$PWD/target/release:$PATH"
echo "bench-system: $base (chorus $chorus_pid, postgres $pg_root, rabbitmq $beam, redis $redis_pid) in $DIR"
psql -h 127.0.0.1 -p "$pg_port" -U postgres -d chorus -qc 'SELECT pg_stat_statements_reset()' >/dev/null
# CPU seconds (utime + stime) of each root's process tree: "chorus 1.23 postgres 0.45 …".
cpu_seconds() {
    python3 - "$BENCH_ROOTS" <<'PY'
import os, sys
hz = os.sysconf("SC_CLK_TCK")
parent, ticks = {}, {}
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        rest = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    parent[int(pid)], ticks[int(pid)] = int(rest[1]), int(rest[11]) + int(rest[12])
out = []
for item in sys.argv[1].split(","):
    name, root = item.split("=")
    total = 0
    for pid, t in ticks.items():
        q = pid
        for _ in range(16):
            if q == int(root):
                total += t
                break
            q = parent.get(q, 0)
            if q <= 1:
                break
    out.append(f"{name} {total / hz:.2f}")
print(" ".join(out))
PY
}
before=$(cpu_seconds); started=$(date +%s.%N)
status=0
bash -c "$1" || status=$?
after=$(cpu_seconds); ended=$(date +%s.%N)
echo
echo "CPU during the command (by process tree) over $(echo "$ended - $started" | bc) s:"
paste <(echo "$before" | xargs -n2) <(echo "$after" | xargs -n2) | awk '{printf "  %-9s %7.2f s\n", $1, $4 - $2}'

echo
echo "PostgreSQL's busiest statements during the run (pg_stat_statements):"
psql -h 127.0.0.1 -p "$pg_port" -U postgres -d chorus -P pager=off -c "
    SELECT calls, round(total_exec_time::numeric, 0) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms,
           left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query
    FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25"
exit $status
