#!/usr/bin/env bash
# The system under `make bench`: a fresh broker (Tansu, memory storage) and the five services (release
# builds, on the database and consumer groups bench.sh exported), ready when both pipeline consumer
# groups hold partitions. `start` is bench.sh's first start; `restart` stops the services first and is
# what `crmctl bench pipeline --restart-command` runs before each rate, so that every rate starts on
# an empty broker: Tansu's fetch cost grows with every batch a partition stores (docs/TANSU.md), and
# a rate would otherwise pay for the history of the rates before it. The database stays.
set -euo pipefail
# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
SERVICES_SH="$ROOT/deploy/local/services.sh"
: "${CRM_CONSUMER_GROUP_PREFIX:?bench-stack.sh runs under bench.sh, which sets the consumer groups}"

# Both groups must hold partitions before the first post (they start at the end of a topic).
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

start() {
    fresh_broker
    echo "==> starting the services (release, consumer groups ${CRM_CONSUMER_GROUP_PREFIX}*)"
    bash "$SERVICES_SH" start >/dev/null
    wait_consuming lead-intake "${CRM_CONSUMER_GROUP_PREFIX}lead-intake.intake"
    wait_consuming assignment "${CRM_CONSUMER_GROUP_PREFIX}assignment.lead-events"
    # The groups start at the end: give them a moment to fetch their start offsets before the first post.
    sleep 3
}

case "${1:-}" in
    start) start ;;
    restart)
        echo "==> stopping the services"
        bash "$SERVICES_SH" stop >/dev/null
        start
        ;;
    *)
        echo "usage: $0 start|restart" >&2
        exit 2
        ;;
esac
