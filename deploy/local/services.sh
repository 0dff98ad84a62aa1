#!/usr/bin/env bash
# Runs the five services as background processes against the local infrastructure (infra.sh).
#
#   deploy/local/services.sh start    start the ones not running, wait until /health answers, print where things are
#   deploy/local/services.sh stop     SIGTERM, wait up to 15 s, then SIGKILL (idempotent)
#   deploy/local/services.sh status   one line per service; exit 0 only if all are running
#   deploy/local/services.sh info     print ports and the kcat/psql commands
#
# Logs: .data/logs/<service>.log, pids: .data/run/<service>.pid. Binaries: $CRM_BIN_DIR (.build/debug).
# Ports: CRM_LEAD_INTAKE_PORT (8081), CRM_ASSIGNMENT_PORT (8082), CRM_CONTRACT_WORKFLOW_PORT (8083),
#        CRM_NOTIFICATIONS_PORT (8084), CRM_REPORTING_PORT (8085); each service gets its own as CRM_HTTP_PORT.
set -euo pipefail
# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

BIN_DIR="${CRM_BIN_DIR:-$ROOT/.build/debug}"
START_WAIT_SECONDS="${CRM_START_WAIT_SECONDS:-60}"
STOP_WAIT_SECONDS="${CRM_STOP_WAIT_SECONDS:-15}"

pidfile() { printf '%s/%s.pid\n' "$RUN_DIR" "$1"; }
running() { pid_alive "$(pidfile "$1")" "$1"; }
healthy() { curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$(service_port "$1")/health" 2>/dev/null; }

start_one() {
    local svc="$1" port bin
    port="$(service_port "$svc")"
    bin="$BIN_DIR/$svc"
    if [[ ! -x "$bin" ]]; then
        echo "$svc: $bin not found (run 'make build')" >&2
        return 1
    fi
    if tcp_open "$port"; then
        echo "$svc: port 127.0.0.1:$port is already in use by another process (set CRM_$(printf '%s' "$svc" | tr 'a-z-' 'A-Z_')_PORT)" >&2
        return 1
    fi
    echo "==== $(date -Is) starting $svc on 127.0.0.1:$port" >>"$LOG_DIR/$svc.log"
    start_service_process "$bin" "$port" "$LOG_DIR/$svc.log" "$(pidfile "$svc")"
    echo "$svc: starting on 127.0.0.1:$port (pid $(cat "$(pidfile "$svc")"), log .data/logs/$svc.log)"
}

stop_list() {
    local svc pid i
    local -a pids=()
    for svc in "$@"; do
        if running "$svc"; then
            pid="$(cat "$(pidfile "$svc")")"
            echo "$svc: stopping (pid $pid)"
            kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
        else
            echo "$svc: not running"
        fi
    done
    for ((i = 0; i < STOP_WAIT_SECONDS * 4; i++)); do
        local left=0
        for pid in "${pids[@]}"; do
            if proc_alive "$pid"; then left=1; fi
        done
        ((left)) || break
        sleep 0.25
    done
    for pid in "${pids[@]}"; do
        if proc_alive "$pid"; then
            echo "pid $pid did not stop within ${STOP_WAIT_SECONDS}s: SIGKILL" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    for svc in "$@"; do rm -f "$(pidfile "$svc")"; done
}

info() {
    local svc kafka="127.0.0.1:$CRM_KAFKA_PORT"
    cat <<INFO

CRM is running locally.

  service              address                 log
INFO
    for svc in "${SERVICES[@]}"; do
        printf '  %-20s http://127.0.0.1:%-6s  .data/logs/%s.log\n' "$svc" "$(service_port "$svc")" "$svc"
    done
    cat <<INFO
  (each serves /health, /ready and /metrics)

  PostgreSQL           127.0.0.1:$CRM_PG_PORT         .data/logs/postgres.log
  Kafka API (Tansu)    $kafka         .data/logs/tansu.log

kcat needs the newer librdkafka from .data/lib (Debian's 2.0.2 cannot talk to Tansu):
  export LD_LIBRARY_PATH=$LIB_DIR

List topics:
  kcat -b $kafka -L
Post a lead:
  echo '{"submissionId":"web-20261123-000123","source":"web_form","receivedAt":"2026-11-23T09:30:00+08:00","contact":{"name":"张伟","phone":"138 0013 8000","email":"Zhang.Wei@Example.com","wecomId":"wm_abc123","title":"采购经理"},"company":{"name":"华东医药连锁有限公司","industry":"pharma_retail","size":"200-500","region":"east","province":"浙江"},"interest":{"productLine":"medical_devices","budget":850000,"currency":"CNY","notes":"需要GSP资质文件"},"attributes":{"campaign":"2026-spring-expo","tags":["DTP药房"]}}' \\
    | kcat -b $kafka -P -t crm.lead.intake -k web-1
Watch lead events:
  kcat -b $kafka -C -t crm.lead.events -o beginning -f '%k %s\n'
Database:
  psql -h 127.0.0.1 -p $CRM_PG_PORT -U $CRM_PG_USER $CRM_PG_DATABASE

Stop the services: make stop    Stop Postgres and Tansu: make infra-down
INFO
}

start() {
    mkdir -p "$LOG_DIR" "$RUN_DIR"
    local svc
    local -a started=()
    for svc in "${SERVICES[@]}"; do
        if running "$svc"; then
            echo "$svc: already running (pid $(cat "$(pidfile "$svc")"))"
            continue
        fi
        rm -f "$(pidfile "$svc")"
        if ! start_one "$svc"; then
            ((${#started[@]} == 0)) || stop_list "${started[@]}"
            return 1
        fi
        started+=("$svc")
    done

    local deadline=$((SECONDS + START_WAIT_SECONDS)) failed=""
    local -a pending=("${SERVICES[@]}")
    while ((${#pending[@]} > 0)); do
        local -a still=()
        for svc in "${pending[@]}"; do
            if healthy "$svc"; then
                continue
            elif ! running "$svc"; then
                echo "$svc: exited during start-up" >&2
                log_tail "$LOG_DIR/$svc.log"
                failed+=" $svc"
            else
                still+=("$svc")
            fi
        done
        pending=("${still[@]}")
        [[ -z "$failed" ]] || break
        ((${#pending[@]} > 0)) || break
        if ((SECONDS >= deadline)); then
            for svc in "${pending[@]}"; do
                echo "$svc: /health not answering on 127.0.0.1:$(service_port "$svc") after ${START_WAIT_SECONDS}s" >&2
                log_tail "$LOG_DIR/$svc.log"
            done
            failed+=" ${pending[*]}"
            break
        fi
        sleep 0.5
    done
    if [[ -n "$failed" ]]; then
        echo "services failed to start:$failed" >&2
        ((${#started[@]} == 0)) || stop_list "${started[@]}"
        return 1
    fi
    echo "all five services answer /health"
    info
}

status() {
    local svc rc=0
    for svc in "${SERVICES[@]}"; do
        if running "$svc"; then
            if healthy "$svc"; then
                echo "$svc: running, healthy on 127.0.0.1:$(service_port "$svc") (pid $(cat "$(pidfile "$svc")"))"
            else
                echo "$svc: running (pid $(cat "$(pidfile "$svc")")) but /health not answering on 127.0.0.1:$(service_port "$svc")"
            fi
        else
            echo "$svc: not running"
            rc=1
        fi
    done
    return "$rc"
}

case "${1:-}" in
    start) start ;;
    stop) stop_list "${SERVICES[@]}" ;;
    status) status ;;
    info) info ;;
    *)
        echo "usage: $0 start|stop|status|info" >&2
        exit 2
        ;;
esac
