#!/usr/bin/env bash
# make bench-intake: intake throughput (issue 3). Builds release binaries, starts lead-intake alone
# (release build, log .data/logs/bench-lead-intake.log), waits for /ready, runs `crmctl bench intake`
# (posts a realistic mix to crm.lead.intake, waits until the lead-intake.intake group committed all of
# it, compares the outcomes in Postgres with the expected ones), stops lead-intake and prints the figures.
#
# Env: BENCH_COUNT (20000), BENCH_DUPLICATES (0.3), BENCH_MALFORMED (0.02), BENCH_SEED (1),
#      BENCH_TIMEOUT_SECONDS (600), BENCH_SKIP_BUILD=1 (use the release binaries as they are),
#      CRM_LEAD_INTAKE_PORT (8081), CRM_CONSUMER_GROUP_PREFIX (none), BENCH_DATABASE (crm_bench_intake:
#      dropped and created; the broker is restarted too, like make bench),
#      CRM_CONSUMER_BATCH_SIZE and the other service settings (README) pass through to lead-intake.
# Arguments are passed on to `crmctl bench intake` (e.g. --run-id, --no-warm-up).
# Exit status: crmctl's (0 figures printed and outcomes as expected, 2 outcomes differ, 1 failure).
set -euo pipefail
# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

BIN_DIR="${CRM_BENCH_BIN_DIR:-$ROOT/.build/release}"
PORT="$(service_port lead-intake)"
LOG="$LOG_DIR/bench-lead-intake.log"
PIDFILE="$RUN_DIR/bench-lead-intake.pid"
RESULT="$LOG_DIR/bench-intake.txt"
GROUP="${CRM_CONSUMER_GROUP_PREFIX:-}lead-intake.intake"
START_WAIT_SECONDS="${CRM_START_WAIT_SECONDS:-60}"
STOP_WAIT_SECONDS="${CRM_STOP_WAIT_SECONDS:-15}"
mkdir -p "$LOG_DIR" "$RUN_DIR"

# The benchmark measures one lead-intake alone: another instance in the group would share the work.
if pid_alive "$RUN_DIR/lead-intake.pid" lead-intake; then
    echo "bench-intake: lead-intake from 'make run' is running (pid $(cat "$RUN_DIR/lead-intake.pid")); 'make stop' first" >&2
    exit 1
fi
if tcp_open "$PORT"; then
    echo "bench-intake: 127.0.0.1:$PORT is in use; stop what listens there or set CRM_LEAD_INTAKE_PORT" >&2
    exit 1
fi

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    # One product per call: with several --product options SwiftPM builds only the last one.
    for product in lead-intake crmctl; do
        echo "==> swift build -c release --product $product"
        swift build -c release --product "$product"
    done
fi
for bin in lead-intake crmctl; do
    if [[ ! -x "$BIN_DIR/$bin" ]]; then
        echo "bench-intake: $BIN_DIR/$bin not found (unset BENCH_SKIP_BUILD to build it)" >&2
        exit 1
    fi
done

stop_service() {
    local pid i
    [[ -s "$PIDFILE" ]] || return 0
    pid="$(cat "$PIDFILE")"
    if proc_alive "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < STOP_WAIT_SECONDS * 4; i++)); do
            proc_alive "$pid" || break
            sleep 0.25
        done
        if proc_alive "$pid"; then
            echo "bench-intake: lead-intake (pid $pid) did not stop within ${STOP_WAIT_SECONDS}s: SIGKILL" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$PIDFILE"
}
trap stop_service EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fresh_broker
export CRM_PG_DATABASE="${BENCH_DATABASE:-crm_bench_intake}"
fresh_database "$CRM_PG_DATABASE"

echo "==> starting lead-intake (release) on 127.0.0.1:$PORT, log $LOG"
echo "==== $(date -Is) bench-intake: starting lead-intake on 127.0.0.1:$PORT" >>"$LOG"
start_service_process "$BIN_DIR/lead-intake" "$PORT" "$LOG" "$PIDFILE"

deadline=$((SECONDS + START_WAIT_SECONDS))
until curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$PORT/ready" 2>/dev/null; do
    if ! proc_alive "$(cat "$PIDFILE")"; then
        echo "bench-intake: lead-intake exited during start-up" >&2
        log_tail "$LOG"
        exit 1
    fi
    if ((SECONDS >= deadline)); then
        echo "bench-intake: /ready not answering on 127.0.0.1:$PORT after ${START_WAIT_SECONDS}s" >&2
        log_tail "$LOG"
        exit 1
    fi
    sleep 0.25
done
echo "==> lead-intake ready (pid $(cat "$PIDFILE"))"

echo "==> crmctl bench intake --count ${BENCH_COUNT:-20000}"
rc=0
CRM_KAFKA_BROKERS="${CRM_KAFKA_BROKERS:-127.0.0.1:$CRM_KAFKA_PORT}" \
    CRM_PG_HOST="${CRM_PG_HOST:-127.0.0.1}" CRM_PG_PORT="$CRM_PG_PORT" \
    CRM_PG_USER="$CRM_PG_USER" CRM_PG_DATABASE="$CRM_PG_DATABASE" \
    "$BIN_DIR/crmctl" bench intake \
    --count "${BENCH_COUNT:-20000}" \
    --duplicates "${BENCH_DUPLICATES:-0.3}" \
    --malformed "${BENCH_MALFORMED:-0.02}" \
    --seed "${BENCH_SEED:-1}" \
    --timeout-seconds "${BENCH_TIMEOUT_SECONDS:-600}" \
    --group "$GROUP" \
    "$@" | tee "$RESULT" || rc=$?

echo "==> stopping lead-intake"
stop_service

echo
echo "==== bench-intake figures ($(nproc) cores, $(date -Is)); also in ${RESULT#"$ROOT"/}"
cat "$RESULT"
exit "$rc"
