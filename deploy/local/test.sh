#!/usr/bin/env bash
# make test: infrastructure up (if needed), build, unit + integration tests, static check of the
# compose file, then stop whatever this run started, also when something fails (exit code kept).
set -euo pipefail
# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

infra_for_this_run

echo "==> swift build --build-tests"
swift build --build-tests
echo "==> swift test (Kafka $CRM_KAFKA_BROKERS, Postgres $CRM_PG_HOST:$CRM_PG_PORT/$CRM_PG_DATABASE)"
swift test
echo "==> docker-compose config (static validation of docker-compose.yml)"
docker-compose -f "$ROOT/docker-compose.yml" config -q
echo "==> make test: passed"
