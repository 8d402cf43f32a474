#!/usr/bin/env bash
# Removes what test runs may leave behind: PostgreSQL databases, Redis keys and
# RabbitMQ queues/exchanges whose names start with `chorus_t_` (the prefix every
# test's resources carry). Best effort and quick: it never fails the build.
#
# Targets the servers named by CHORUS_TEST_DATABASE_URL, CHORUS_TEST_REDIS_URL and
# CHORUS_TEST_AMQP_URL (the same variables the tests read), local defaults otherwise.
set -uo pipefail

# A narrower prefix (one test run's id) may be given as the first argument.
readonly PREFIX=${1:-chorus_t_}
[[ $PREFIX == chorus_t_* ]] || { echo "purge: prefix must start with chorus_t_" >&2; exit 2; }
readonly DB_URL=${CHORUS_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
readonly REDIS_URL=${CHORUS_TEST_REDIS_URL:-redis://127.0.0.1:6379}
readonly AMQP_URL=${CHORUS_TEST_AMQP_URL:-amqp://guest:guest@127.0.0.1:5672/%2f}

have() { command -v "$1" >/dev/null 2>&1; }

purge_postgres() {
    have psql || return 0
    # \gexec runs each generated statement on its own (DROP DATABASE cannot run in a transaction).
    PGCONNECT_TIMEOUT=3 timeout 60 psql -w -X -q -At "$DB_URL" >/dev/null 2>&1 <<SQL
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', datname)
FROM pg_database WHERE datname LIKE '${PREFIX//_/\\_}%' \gexec
SQL
}

purge_redis() {
    have redis-cli || return 0
    timeout 30 redis-cli -u "$REDIS_URL" --scan --pattern "${PREFIX}*" 2>/dev/null |
        timeout 30 xargs -r -d '\n' -n 500 redis-cli -u "$REDIS_URL" del >/dev/null 2>&1
}

# Queues and exchanges are listed with rabbitmqctl and removed in one `eval` (one
# CLI start instead of one per queue). Should eval be refused, queues fall back
# to `rabbitmqctl delete_queue`; exchanges then stay (no CLI command deletes them).
purge_rabbitmq() {
    have rabbitmqctl || return 0
    # The CLI talks to the local node only; skip quickly when the broker is not here.
    local authority=${AMQP_URL#*://}
    authority=${authority%%/*}
    authority=${authority##*@}
    local host=${authority%%:*}
    [[ $host == 127.0.0.1 || $host == localhost || $host == ::1 ]] || return 0
    timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/5672' 2>/dev/null || return 0

    local vhost=/ path=${AMQP_URL#*://*/}
    if [[ $path != "$AMQP_URL" && -n $path ]]; then
        vhost=${path%%\?*}
        vhost=${vhost//%2[fF]//}
    fi

    local rmq=(timeout 30 rabbitmqctl -q -p "$vhost")
    local queues exchanges xfile
    xfile=$(mktemp) || return 0
    "${rmq[@]}" list_exchanges --no-table-headers name >"$xfile" 2>/dev/null & # in parallel
    queues=$("${rmq[@]}" list_queues --no-table-headers name 2>/dev/null | grep "^${PREFIX}")
    wait
    exchanges=$(grep "^${PREFIX}" "$xfile")
    rm -f "$xfile"
    [[ -n $queues || -n $exchanges ]] || return 0

    # Erlang binaries for names in a safe alphabet (test names always are).
    local safe='^[A-Za-z0-9_.:-]+$'
    erl_list() { grep -E "$safe" | sed 's/.*/<<"&">>/' | paste -sd, -; }
    local qs xs
    qs=$(printf '%s\n' "$queues" | erl_list)
    xs=$(printf '%s\n' "$exchanges" | erl_list)
    local expr="V = <<\"${vhost//\"/}\">>,
        [catch begin {ok, Q} = rabbit_amqqueue:lookup(rabbit_misc:r(V, queue, N)),
                     rabbit_amqqueue:delete(Q, false, false, <<\"chorus-purge\">>) end
         || N <- [${qs}]],
        [catch rabbit_exchange:delete(rabbit_misc:r(V, exchange, N), false, <<\"chorus-purge\">>)
         || N <- [${xs}]],
        ok."
    "${rmq[@]}" eval "$expr" >/dev/null 2>&1

    # Whatever is left (eval refused, unusual names): one CLI call per queue, in parallel.
    "${rmq[@]}" list_queues --no-table-headers name 2>/dev/null | grep "^${PREFIX}" |
        xargs -r -d '\n' -P 8 -I{} timeout 30 rabbitmqctl -q -p "$vhost" delete_queue {} >/dev/null 2>&1
}

purge_postgres || true
purge_redis || true
purge_rabbitmq || true
exit 0
