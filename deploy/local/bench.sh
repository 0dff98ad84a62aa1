#!/usr/bin/env bash
# make bench: the intake -> assignment pipeline benchmark (issue 5). Builds release binaries, starts
# the five services from them like `make run` does, loads the bench roster (BENCH_REPS reps over
# every region and product line) and its routing policy, waits until both consumer groups hold
# partitions, runs `crmctl bench pipeline` (open-loop rates, then full speed; latency from broker
# timestamps, lag, memory and CPU per service, CPU of Postgres and the broker), prints its tables
# and stops the services.
#
# Every run gets a fresh broker (Tansu, memory storage), a fresh database (BENCH_DATABASE, crm_bench: dropped and created) and consumer groups
# of its own that start at the end of the topics, so runs are alike whatever ran before.
#
# Env: BENCH_RATES (200,500,1000,2000), BENCH_SECONDS (20 per rate), BENCH_MAX_COUNT (20000),
#      BENCH_REPS (200), BENCH_SEED (1), BENCH_SKIP_BUILD=1 (use .build/release as it is),
#      BENCH_OUT (.data/bench: pipeline-phases.csv, pipeline-timeline.csv, pipeline-latency.svg),
#      and the service settings of the README (they pass through to the services).
# Arguments go on to `crmctl bench pipeline` (e.g. --run-id, --duplicates 0).
# Exit status: crmctl's (0 figures printed and the audit clean, 2 audit found problems, 1 failure).
set -euo pipefail
# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

export CRM_BIN_DIR="$ROOT/.build/release"
SERVICES_SH="$ROOT/deploy/local/services.sh"
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

fresh_broker
export CRM_PG_DATABASE="${BENCH_DATABASE:-crm_bench}"
export CRM_CONSUMER_GROUP_PREFIX="${CRM_CONSUMER_GROUP_PREFIX:-bench-$(date +%s).}" CRM_CONSUMER_START=latest
fresh_database "$CRM_PG_DATABASE"

echo "==> starting the services (release, consumer groups ${CRM_CONSUMER_GROUP_PREFIX}*)"
bash "$SERVICES_SH" start >/dev/null

export CRM_KAFKA_BROKERS="${CRM_KAFKA_BROKERS:-127.0.0.1:$CRM_KAFKA_PORT}"
export CRM_PG_HOST="${CRM_PG_HOST:-127.0.0.1}" CRM_PG_PORT CRM_PG_USER CRM_PG_DATABASE
ASSIGNMENT_URL="http://127.0.0.1:$(service_port assignment)"

# Both groups must hold partitions before the first post (they may start at the end of a topic).
wait_consuming() {
    local svc="$1" group="$2" deadline=$((SECONDS + 60))
    until curl -fsS -m 2 "http://127.0.0.1:$(service_port "$svc")/ready" 2>/dev/null | grep -Eq "\"consumer:$group\" *: *\"[1-9]"; do
        if ((SECONDS >= deadline)); then
            echo "bench: $svc's group $group holds no partitions after 60 s (see .data/logs/$svc.log)" >&2
            exit 1
        fi
        sleep 0.5
    done
}
prefix="$CRM_CONSUMER_GROUP_PREFIX"
wait_consuming lead-intake "${prefix}lead-intake.intake"
wait_consuming assignment "${prefix}assignment.lead-events"
# The groups start at the end: give them a moment to fetch their start offsets before the first post.
sleep 3

echo "==> roster: ${BENCH_REPS:-200} reps and the bench routing policy"
"$CRMCTL" bench roster --reps "${BENCH_REPS:-200}" | "$CRMCTL" reps import --url "$ASSIGNMENT_URL" -
"$CRMCTL" bench roster --policy | "$CRMCTL" rules set routing - --url "$ASSIGNMENT_URL" --comment "make bench"

processes=()
for svc in "${SERVICES[@]}"; do
    processes+=(--process "$svc=$(cat "$RUN_DIR/$svc.pid")")
done
# Postgres (the postmaster, its backends and workers) and the broker: CPU only, to see where it goes.
if [[ -r "$DATA/pg/postmaster.pid" ]]; then processes+=(--process-tree "postgres=$(head -1 "$DATA/pg/postmaster.pid")"); fi
if [[ -r "$DATA/tansu.pid" ]]; then processes+=(--process-tree "broker=$(cat "$DATA/tansu.pid")"); fi

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
    "${processes[@]}" "$@" | tee "$RESULT" || rc=$?
echo "==> figures also in ${RESULT#"$ROOT"/} ($(nproc) cores, $(date -Is))"
exit "$rc"
