#!/usr/bin/env bash
# make bench: the intake -> assignment pipeline benchmark (issue 5). Builds release binaries, starts
# the five services from them like `make run` does, loads the bench roster (BENCH_REPS reps over
# every region and product line) and its routing policy, waits until both consumer groups hold
# partitions, runs `crmctl bench pipeline` (open-loop rates, then full speed; latency from broker
# timestamps, lag, memory and CPU per service, CPU of Postgres and the broker), prints its tables
# and stops the services.
#
# Every run gets a fresh database (BENCH_DATABASE, crm_bench: dropped and created) and consumer groups
# of its own that start at the end of the topics, so runs are alike whatever ran before. Every rate
# gets a fresh broker (Tansu, memory storage) and freshly started services (bench-stack.sh restart):
# the local broker's fetch cost grows with what its partitions hold (docs/TANSU.md), so one broker
# for the whole run would make each rate pay for the ones before it. BENCH_FRESH_BROKER=0 runs every
# rate on one broker and one start of the services, as before 2026-12-02.
#
# Env: BENCH_RATES (200,500,1000,2000), BENCH_SECONDS (20 per rate), BENCH_MAX_COUNT (20000),
#      BENCH_REPS (200), BENCH_SEED (1), BENCH_SKIP_BUILD=1 (use .build/release as it is), BENCH_FRESH_BROKER (1),
#      BENCH_OUT (.data/bench: pipeline-phases.csv, pipeline-timeline.csv, pipeline-latency-by-second.csv,
#      pipeline-latency.svg),
#      and the service settings of the README (they pass through to the services).
# Arguments go on to `crmctl bench pipeline` (e.g. --run-id, --duplicates 0).
# Exit status: crmctl's (0 figures printed and the audit clean, 2 audit found problems, 1 failure).
set -euo pipefail
# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

export CRM_BIN_DIR="$ROOT/.build/release"
SERVICES_SH="$ROOT/deploy/local/services.sh"
STACK_SH="$ROOT/deploy/local/bench-stack.sh"
CRMCTL="$CRM_BIN_DIR/crmctl"
OUT="${BENCH_OUT:-$DATA/bench}"
RESULT="$OUT/pipeline.txt"
mkdir -p "$OUT"

for svc in "${SERVICES[@]}"; do
    if pid_alive "$RUN_DIR/$svc.pid" "$svc"; then
        echo "bench: $svc from 'make run' is running (pid $(cat "$RUN_DIR/$svc.pid")); 'make stop' first (the bench starts release builds)" >&2
        exit 1
    fi
done

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    echo "==> swift build -c release"
    swift build -c release
fi

cleanup() {
    local rc=$?
    echo "==> stopping the services"
    bash "$SERVICES_SH" stop >/dev/null || true
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export CRM_PG_DATABASE="${BENCH_DATABASE:-crm_bench}"
export CRM_CONSUMER_GROUP_PREFIX="${CRM_CONSUMER_GROUP_PREFIX:-bench-$(date +%s).}" CRM_CONSUMER_START=latest
fresh_database "$CRM_PG_DATABASE"
bash "$STACK_SH" start

export CRM_KAFKA_BROKERS="${CRM_KAFKA_BROKERS:-127.0.0.1:$CRM_KAFKA_PORT}"
export CRM_PG_HOST="${CRM_PG_HOST:-127.0.0.1}" CRM_PG_PORT CRM_PG_USER CRM_PG_DATABASE
ASSIGNMENT_URL="http://127.0.0.1:$(service_port assignment)"
prefix="$CRM_CONSUMER_GROUP_PREFIX"

echo "==> roster: ${BENCH_REPS:-200} reps and the bench routing policy"
"$CRMCTL" bench roster --reps "${BENCH_REPS:-200}" | "$CRMCTL" reps import --url "$ASSIGNMENT_URL" -
"$CRMCTL" bench roster --policy | "$CRMCTL" rules set routing - --url "$ASSIGNMENT_URL" --comment "make bench"

# Pid files, read again after each restart. Postgres (the postmaster, its backends and workers) and
# the broker: CPU only, to see where it goes.
processes=()
for svc in "${SERVICES[@]}"; do
    processes+=(--process "$svc=@$RUN_DIR/$svc.pid")
done
if [[ -r "$DATA/pg/postmaster.pid" ]]; then processes+=(--process-tree "postgres=$(head -1 "$DATA/pg/postmaster.pid")"); fi
if [[ -r "$DATA/tansu.pid" ]]; then processes+=(--process-tree "broker=@$DATA/tansu.pid"); fi
restart=()
if [[ "${BENCH_FRESH_BROKER:-1}" == 1 ]]; then restart=(--restart-command "bash '$STACK_SH' restart"); fi

echo "==> crmctl bench pipeline"
rc=0
"$CRMCTL" bench pipeline \
    --rates "${BENCH_RATES:-200,500,1000,2000}" \
    --seconds "${BENCH_SECONDS:-20}" \
    --max-count "${BENCH_MAX_COUNT:-20000}" \
    --seed "${BENCH_SEED:-1}" \
    --intake-group "${prefix}lead-intake.intake" \
    --assignment-group "${prefix}assignment.lead-events" \
    --out-dir "$OUT" \
    "${processes[@]}" "${restart[@]}" "$@" | tee "$RESULT" || rc=$?
echo "==> figures also in ${RESULT#"$ROOT"/} ($(nproc) cores, $(date -Is))"
exit "$rc"
