#!/usr/bin/env bash
# Local infrastructure without Docker: a private PostgreSQL 15 cluster under .data/ and the Tansu
# Kafka-compatible broker (memory storage), both on loopback only.
#
#   deploy/local/infra.sh up     [postgres|kafka]   start (idempotent), wait until they answer
#   deploy/local/infra.sh down   [postgres|kafka]   stop (idempotent)
#   deploy/local/infra.sh status [postgres|kafka]   print state; exit 0 only if all asked are running
#   deploy/local/infra.sh purge                     stop and delete the cluster's files
#   deploy/local/infra.sh restart postgres          pg_ctl restart -m fast (fault drills: sessions are cut)
#
# Env: CRM_PG_PORT (55432), CRM_KAFKA_PORT (19092), CRM_PG_USER (crm), CRM_PG_DATABASE (crm),
#      CRM_PG_BIN (/usr/lib/postgresql/15/bin), CRM_PG_OS_USER (crmpg, used only when run as root).
# Never touches the machine's system cluster: everything here uses its own data dir, port and socket dir.
set -euo pipefail
# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

WAIT_SECONDS="${CRM_INFRA_WAIT_SECONDS:-30}"
TANSU_PID="$DATA/tansu.pid"
TANSU_LOG="$LOG_DIR/tansu.log"
PG_LOCATION_FILE="$DATA/pg.location"

# ------------------------------------------------------------------------------------------------
# PostgreSQL
# ------------------------------------------------------------------------------------------------
is_root() { [[ "$(id -u)" -eq 0 ]]; }

# Run a server-side Postgres tool as the cluster owner (initdb/pg_ctl/postgres refuse to run as root).
run_pg() {
    if is_root; then
        (cd / && runuser -u "$PG_OS_USER" -- "$@")
    else
        "$@"
    fi
}

ensure_pg_os_user() {
    is_root || return 0
    if ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$PG_OS_USER"
    fi
}

# Where the cluster lives. Normally .data/pg, .data/pg-run and .data/logs/postgres.log. When running
# as root and the cluster owner cannot reach the repository (e.g. a clone under /root), or the socket
# path would be too long for a unix socket, the files go to /var/tmp/crm-pg-<hash> instead, with
# symlinks from .data/pg and .data/logs/postgres.log. The choice is remembered in .data/pg.location.
pg_locate() {
    local base
    if [[ -s "$PG_LOCATION_FILE" ]]; then
        base="$(cat "$PG_LOCATION_FILE")"
    else
        base="$DATA"
    fi
    if [[ "$base" == "$DATA" ]]; then
        PG_DATA="$DATA/pg"
        PG_RUN="$DATA/pg-run"
        PG_LOG="$LOG_DIR/postgres.log"
    else
        PG_DATA="$base/pg"
        PG_RUN="$base/pg-run"
        PG_LOG="$base/postgres.log"
    fi
}

pg_choose_location() {
    [[ -s "$PG_LOCATION_FILE" ]] && return 0
    local base="$DATA" socket="$DATA/pg-run/.s.PGSQL.$CRM_PG_PORT.lock"
    if ((${#socket} > 100)) || { is_root && ! (cd / && runuser -u "$PG_OS_USER" -- test -x "$DATA"); }; then
        base="/var/tmp/crm-pg-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
        echo "infra: $PG_OS_USER cannot use $DATA (permissions or path length); cluster files go to $base"
    fi
    printf '%s\n' "$base" >"$PG_LOCATION_FILE"
}

pg_running() {
    pg_locate
    [[ -f "$PG_DATA/PG_VERSION" ]] || return 1
    if is_root && ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
        return 1
    fi
    run_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

pg_ready() {
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$CRM_PG_PORT" -U "$CRM_PG_USER" -d postgres -t 2
}

pg_prepare_dirs() {
    mkdir -p "$DATA" "$LOG_DIR"
    ensure_pg_os_user
    pg_choose_location
    pg_locate
    mkdir -p "$PG_DATA" "$PG_RUN" "$(dirname "$PG_LOG")"
    touch "$PG_LOG"
    if [[ "$PG_DATA" != "$DATA/pg" ]]; then
        ln -sfn "$PG_DATA" "$DATA/pg"
        ln -sfn "$PG_RUN" "$DATA/pg-run"
        ln -sfn "$PG_LOG" "$LOG_DIR/postgres.log"
    fi
    chmod 700 "$PG_DATA"
    if is_root; then
        chown "$PG_OS_USER:$PG_OS_USER" "$PG_RUN" "$PG_LOG"
        chown -R "$PG_OS_USER:$PG_OS_USER" "$PG_DATA"
    fi
}

pg_write_config() {
    local conf="$PG_DATA/crm-local.conf"
    cat >"$conf" <<CONF
# Written by deploy/local/infra.sh at every start. Private, throw-away development cluster:
# loopback only, its own port and socket directory, durability traded for speed.
listen_addresses = '127.0.0.1'
port = $CRM_PG_PORT
unix_socket_directories = '$PG_RUN'
max_connections = 300
fsync = off
full_page_writes = off
synchronous_commit = off
# Statement figures for profiling the benchmarks (SELECT * FROM pg_stat_statements).
shared_preload_libraries = 'pg_stat_statements'
log_line_prefix = '%m [%p] %q%u@%d '
CONF
    if is_root; then chown "$PG_OS_USER:$PG_OS_USER" "$conf"; fi
}

pg_up() {
    if pg_running; then
        echo "postgres: already running (127.0.0.1:$CRM_PG_PORT, data $PG_DATA)"
    else
        [[ -x "$PG_BIN/initdb" ]] || { echo "postgres: $PG_BIN/initdb not found (run 'make setup')" >&2; return 1; }
        pg_prepare_dirs
        if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
            echo "postgres: initdb $PG_DATA"
            local locale=C.UTF-8
            locale -a 2>/dev/null | grep -qix 'c.utf-\?8' || locale=C
            if ! run_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$CRM_PG_USER" --auth=trust -E UTF8 \
                --locale="$locale" >"$LOG_DIR/initdb.log" 2>&1; then
                echo "postgres: initdb failed" >&2
                log_tail "$LOG_DIR/initdb.log"
                return 1
            fi
            echo "include_if_exists = 'crm-local.conf'" >>"$PG_DATA/postgresql.conf"
        fi
        pg_write_config
        if tcp_open "$CRM_PG_PORT"; then
            echo "postgres: port 127.0.0.1:$CRM_PG_PORT is already in use by another process (set CRM_PG_PORT)" >&2
            return 1
        fi
        echo "postgres: starting on 127.0.0.1:$CRM_PG_PORT (log $LOG_DIR/postgres.log)"
        if ! run_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$WAIT_SECONDS" start >/dev/null; then
            echo "postgres: failed to start" >&2
            log_tail "$PG_LOG"
            return 1
        fi
    fi
    local i
    for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
        pg_ready && break
        sleep 0.5
    done
    if ! pg_ready; then
        echo "postgres: not answering on 127.0.0.1:$CRM_PG_PORT after ${WAIT_SECONDS}s" >&2
        log_tail "$PG_LOG"
        return 1
    fi
    local exists
    exists="$(PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$CRM_PG_PORT" -U "$CRM_PG_USER" -d postgres \
        -tAc "SELECT 1 FROM pg_database WHERE datname = '$CRM_PG_DATABASE'")"
    if [[ "$exists" != 1 ]]; then
        echo "postgres: creating database $CRM_PG_DATABASE (owner $CRM_PG_USER)"
        PGCONNECT_TIMEOUT=5 "$PG_BIN/createdb" -h 127.0.0.1 -p "$CRM_PG_PORT" -U "$CRM_PG_USER" \
            -O "$CRM_PG_USER" "$CRM_PG_DATABASE"
    fi
}

pg_down() {
    if pg_running; then
        echo "postgres: stopping"
        run_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" stop -m fast -w -t "$WAIT_SECONDS" >/dev/null
    else
        echo "postgres: not running"
    fi
}

pg_restart() {
    if ! pg_running; then
        echo "postgres: not running; 'infra.sh up postgres' first" >&2
        return 1
    fi
    echo "postgres: restarting (fast: open sessions are cut)"
    run_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" restart -m fast -w -t "$WAIT_SECONDS" >/dev/null
}

pg_status() {
    if pg_running; then
        if pg_ready; then
            echo "postgres: running, answering on 127.0.0.1:$CRM_PG_PORT (data $PG_DATA)"
        else
            echo "postgres: running (data $PG_DATA) but not answering on 127.0.0.1:$CRM_PG_PORT"
        fi
        return 0
    fi
    echo "postgres: not running"
    return 1
}

pg_purge() {
    pg_down
    pg_locate
    local base
    base="$(dirname "$PG_DATA")"
    rm -rf "$DATA/pg" "$DATA/pg-run" "$PG_LOCATION_FILE" "$LOG_DIR/postgres.log" "$LOG_DIR/initdb.log"
    if [[ "$base" != "$DATA" && "$base" == /var/tmp/crm-pg-* ]]; then
        rm -rf "$base"
    fi
}

# ------------------------------------------------------------------------------------------------
# Tansu (Kafka API)
# ------------------------------------------------------------------------------------------------
kafka_running() { pid_alive "$TANSU_PID" tansu; }

# Metadata for all topics (never ask for a named topic here: that can auto-create it).
kafka_ready() {
    timeout 5 kcat -b "127.0.0.1:$CRM_KAFKA_PORT" -L -m 3 >/dev/null 2>&1
}

kafka_up() {
    if kafka_running; then
        echo "kafka (tansu): already running (127.0.0.1:$CRM_KAFKA_PORT, pid $(cat "$TANSU_PID"))"
    else
        rm -f "$TANSU_PID"
        if tcp_open "$CRM_KAFKA_PORT"; then
            echo "kafka (tansu): port 127.0.0.1:$CRM_KAFKA_PORT is already in use by another process (set CRM_KAFKA_PORT)" >&2
            return 1
        fi
        if [[ ! -e "$LIB_DIR/librdkafka.so.1" ]] || ! command -v kcat >/dev/null; then
            echo "kafka (tansu): $LIB_DIR/librdkafka.so.1 or kcat missing (run 'make setup')" >&2
            return 1
        fi
        local tansu url
        tansu="$(tansu_bin)"
        url="tcp://127.0.0.1:$CRM_KAFKA_PORT"
        mkdir -p "$DATA" "$LOG_DIR"
        echo "kafka (tansu): starting on 127.0.0.1:$CRM_KAFKA_PORT (log $TANSU_LOG)"
        {
            echo "==== $(date -Is) starting tansu on $url"
        } >>"$TANSU_LOG"
        # setsid: its own session, so a Ctrl-C in the terminal that started it does not stop it.
        setsid "$tansu" broker --listener-url "$url" --advertised-listener-url "$url" \
            --storage-engine memory://tansu/ </dev/null >>"$TANSU_LOG" 2>&1 &
        echo $! >"$TANSU_PID"
    fi
    local i pid
    pid="$(cat "$TANSU_PID")"
    for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
        kafka_ready && return 0
        if ! proc_alive "$pid"; then
            echo "kafka (tansu): exited during start-up" >&2
            rm -f "$TANSU_PID"
            log_tail "$TANSU_LOG"
            return 1
        fi
        sleep 0.5
    done
    echo "kafka (tansu): not answering on 127.0.0.1:$CRM_KAFKA_PORT after ${WAIT_SECONDS}s" >&2
    log_tail "$TANSU_LOG"
    return 1
}

kafka_down() {
    if kafka_running; then
        local pid i
        pid="$(cat "$TANSU_PID")"
        echo "kafka (tansu): stopping (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 20; i++)); do
            proc_alive "$pid" || break
            sleep 0.5
        done
        if proc_alive "$pid"; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    else
        echo "kafka (tansu): not running"
    fi
    rm -f "$TANSU_PID"
}

kafka_status() {
    if kafka_running; then
        if kafka_ready; then
            echo "kafka (tansu): running, answering on 127.0.0.1:$CRM_KAFKA_PORT (pid $(cat "$TANSU_PID"))"
        else
            echo "kafka (tansu): running (pid $(cat "$TANSU_PID")) but not answering on 127.0.0.1:$CRM_KAFKA_PORT"
        fi
        return 0
    fi
    echo "kafka (tansu): not running"
    return 1
}

# ------------------------------------------------------------------------------------------------
usage() {
    echo "usage: $0 up|down|status [postgres|kafka] | restart postgres | purge" >&2
    exit 2
}

cmd="${1:-}"
what="${2:-all}"
case "$what" in
    all) components=(postgres kafka) ;;
    postgres | pg) components=(postgres) ;;
    kafka | tansu) components=(kafka) ;;
    *) usage ;;
esac
prefix() { [[ "$1" == postgres ]] && echo pg || echo kafka; }

case "$cmd" in
    up)
        for c in "${components[@]}"; do "$(prefix "$c")_up"; done
        ;;
    down)
        # Reverse order: the broker first, then the database.
        for ((k = ${#components[@]} - 1; k >= 0; k--)); do "$(prefix "${components[k]}")_down"; done
        ;;
    status)
        rc=0
        for c in "${components[@]}"; do "$(prefix "$c")_status" || rc=1; done
        exit "$rc"
        ;;
    restart)
        [[ "$what" == postgres || "$what" == pg ]] || usage
        pg_restart
        ;;
    purge)
        kafka_down
        pg_purge
        ;;
    *) usage ;;
esac
