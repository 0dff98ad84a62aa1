#!/usr/bin/env bash
# make test-faults: the fault-injection drills (issue 5) over the real executables, Postgres and
# Tansu: kill -9 of lead-intake mid-batch, of assignment between commit and offset store, of an
# outbox relay between produce and mark; Postgres restarted under load; rebalances under repeated
# kills; poison bursts. Each scenario runs CRM_FAULT_RUNS times (3) under CRM_FAULT_RATE leads/s (150)
# for CRM_FAULT_SECONDS (20); the audit fails the run on any lost, duplicated or misrouted lead.
# Results: .data/faults/results.csv (one line per run). Starts the infrastructure if needed and stops
# what it started.
set -euo pipefail
# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

infra_for_this_run
export CRM_FAULT_TESTS=1 CRM_FAULT_RUNS="${CRM_FAULT_RUNS:-3}"

mkdir -p "$DATA/faults"
rm -f "$DATA/faults/results.csv"
echo "==> swift build --build-tests"
swift build --build-tests
echo "==> fault drills: ${CRM_FAULT_RUNS} run(s) per scenario at ${CRM_FAULT_RATE:-150} leads/s for ${CRM_FAULT_SECONDS:-20} s"
swift test --skip-build --filter FaultInjectionTests
echo "==> results (.data/faults/results.csv)"
column -s, -t <"$DATA/faults/results.csv" 2>/dev/null || cat "$DATA/faults/results.csv"
echo "==> make test-faults: passed"
