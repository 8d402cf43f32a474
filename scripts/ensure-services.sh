#!/usr/bin/env bash
# Makes sure PostgreSQL, Redis and RabbitMQ answer on their default local
# addresses (127.0.0.1:5432, :6379, :5672), installing the Debian package and
# starting the server when needed, and that the `chorus` database exists.
#
# Idempotent and silent when everything already runs; it never stops anything.
# Used by `make run` and `make test`.
set -euo pipefail

readonly PG_HOST=127.0.0.1 PG_PORT=5432
readonly REDIS_HOST=127.0.0.1 REDIS_PORT=6379
readonly AMQP_HOST=127.0.0.1 AMQP_PORT=5672
readonly LOG_DIR="${TMPDIR:-/tmp}/chorus-services"

log() { echo "ensure-services: $*" >&2; }
die() {
    log "error: $*"
    exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif have sudo; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

# Runs a command as the `postgres` OS user (for the local socket's peer auth).
as_postgres() {
    if [[ $EUID -eq 0 ]] && have runuser; then
        runuser -u postgres -- "$@"
    elif have sudo; then
        sudo -u postgres "$@"
    else
        die "need root (or sudo) to run as postgres: $*"
    fi
}

apt_updated=0
apt_install() {
    have apt-get || die "$* not installed and apt-get is unavailable: install it by hand"
    if [[ $apt_updated -eq 0 ]]; then
        log "apt-get update"
        as_root apt-get update -qq >/dev/null
        apt_updated=1
    fi
    log "installing $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# wait_until <what> <seconds> <command...>: polls once a second.
wait_until() {
    local what=$1 secs=$2
    shift 2
    local i
    for ((i = 0; i < secs; i++)); do
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        sleep 1
    done
    die "$what did not answer within ${secs}s (logs: $LOG_DIR)"
}

# start_logged <name> <command...>: runs a start command, its output kept in $LOG_DIR.
start_logged() {
    local name=$1
    shift
    mkdir -p "$LOG_DIR"
    log "starting $name"
    if ! "$@" >"$LOG_DIR/$name.log" 2>&1; then
        log "'$*' failed (see $LOG_DIR/$name.log); waiting in case it is already starting"
    fi
}

tcp_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

# --- PostgreSQL ---------------------------------------------------------------

pg_up() { have pg_isready && pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }
pg_trusts_us() {
    PGCONNECT_TIMEOUT=5 psql -w -X -q -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres \
        -Atc 'select 1' >/dev/null 2>&1
}
pg_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1 || true; }

ensure_postgres() {
    # A server that already listens (a container, another install) only needs the client.
    if ! have pg_isready && tcp_open "$PG_HOST" "$PG_PORT"; then
        apt_install postgresql-client
    fi
    if ! pg_up; then
        if ! have pg_ctlcluster || [[ -z "$(pg_version)" ]]; then
            apt_install postgresql
        fi
        if ! pg_up; then
            local ver
            ver=$(pg_version)
            [[ -n $ver ]] || die "no PostgreSQL version under /etc/postgresql after installing"
            if [[ ! -d /etc/postgresql/$ver/main ]]; then
                log "creating PostgreSQL cluster $ver/main"
                as_root pg_createcluster "$ver" main >/dev/null
            fi
            start_logged postgresql as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start
            wait_until "PostgreSQL on $PG_HOST:$PG_PORT" 30 pg_up
        fi
    fi

    # The tests and `make run` connect as postgres over TCP without a password.
    if ! pg_trusts_us; then
        local ver hba
        ver=$(pg_version)
        [[ -n $ver ]] || die "PostgreSQL on $PG_HOST:$PG_PORT refuses user postgres without a password; allow 'trust' for 127.0.0.1 in pg_hba.conf"
        hba=/etc/postgresql/$ver/main/pg_hba.conf
        [[ -f $hba ]] || hba=$(as_postgres psql -X -Atqc 'show hba_file')
        log "allowing trust auth for 127.0.0.1 and ::1 in $hba"
        as_root sed -i \
            -e '1i # Added by chorus scripts/ensure-services.sh (local development only).' \
            -e '1i host all all 127.0.0.1/32 trust' \
            -e '1i host all all ::1/128 trust' "$hba"
        as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main reload >/dev/null
        wait_until "PostgreSQL (trust auth for postgres@$PG_HOST)" 10 pg_trusts_us
    fi

    local exists
    exists=$(psql -w -X -q -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -Atc \
        "select 1 from pg_database where datname = 'chorus'")
    if [[ $exists != 1 ]]; then
        log "creating database chorus"
        createdb -w -h "$PG_HOST" -p "$PG_PORT" -U postgres chorus
    fi
}

# --- Redis --------------------------------------------------------------------

redis_up() { have redis-cli && [[ $(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

ensure_redis() {
    if ! have redis-cli && tcp_open "$REDIS_HOST" "$REDIS_PORT"; then
        apt_install redis-tools
    fi
    redis_up && return 0
    if ! have redis-server || ! have redis-cli; then
        apt_install redis-server
        redis_up && return 0
    fi
    start_logged redis redis-server --daemonize yes --bind "$REDIS_HOST" --port "$REDIS_PORT" --save "" --appendonly no
    wait_until "Redis on $REDIS_HOST:$REDIS_PORT" 30 redis_up
}

# --- RabbitMQ -----------------------------------------------------------------

# The broker answers when a TCP connection to 5672 gets a Connection.Start frame
# (type 0x01) in reply to the AMQP 0-9-1 protocol header: a stronger check than an
# open port, and it works for any broker (a package, a container) and any user.
amqp_answers() {
    # shellcheck disable=SC2016 # expanded by the inner shell
    timeout 3 bash -c '
        exec 3<>"/dev/tcp/$0/$1" || exit 1
        printf "AMQP\x00\x00\x09\x01" >&3
        IFS= read -r -d "" -n 1 -t 2 frame <&3 && [[ $frame == "$2" ]]' \
        "$AMQP_HOST" "$AMQP_PORT" $'\x01' 2>/dev/null
}

# rabbitmq-diagnostics needs the node's Erlang cookie: root (the Debian wrapper
# switches to the rabbitmq user) or a user with a cookie of their own.
can_diagnose() { have rabbitmq-diagnostics && { [[ $EUID -eq 0 ]] || [[ -r $HOME/.erlang.cookie ]]; }; }
rabbit_pings() { can_diagnose && rabbitmq-diagnostics -q ping >/dev/null 2>&1; }

# After starting the local node: its listener answers and, when we can ask it, the node pings.
local_rabbit_up() {
    amqp_answers || return 1
    if can_diagnose; then
        rabbit_pings
    fi
}

ensure_rabbitmq() {
    amqp_answers && return 0
    if ! have rabbitmq-server; then
        apt_install rabbitmq-server
        amqp_answers && return 0
    fi
    # A node that pings but does not listen yet is still booting: just wait for it.
    if ! rabbit_pings; then
        start_logged rabbitmq as_root rabbitmq-server -detached
    fi
    wait_until "RabbitMQ on $AMQP_HOST:$AMQP_PORT" 60 local_rabbit_up
}

ensure_postgres
ensure_redis
ensure_rabbitmq
