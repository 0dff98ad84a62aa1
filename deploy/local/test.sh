#!/usr/bin/env bash
# make test: infrastructure up (if needed), build, unit + integration tests, static check of the
# compose file, then stop whatever this run started, also when something fails (exit code kept).
set -euo pipefail
# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

INFRA="$ROOT/deploy/local/infra.sh"
started=()
for component in postgres kafka; do
    if ! bash "$INFRA" status "$component" >/dev/null 2>&1; then
        started+=("$component")
    fi
done

cleanup() {
    local rc=$?
    local component
    for component in "${started[@]}"; do
        bash "$INFRA" down "$component" || true
    done
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bash "$INFRA" up

export CRM_KAFKA_BROKERS="127.0.0.1:$CRM_KAFKA_PORT"
export CRM_PG_HOST=127.0.0.1
export CRM_PG_PORT CRM_PG_USER CRM_PG_DATABASE
export LD_LIBRARY_PATH

echo "==> swift build --build-tests"
swift build --build-tests
echo "==> swift test (Kafka $CRM_KAFKA_BROKERS, Postgres $CRM_PG_HOST:$CRM_PG_PORT/$CRM_PG_DATABASE)"
swift test
echo "==> docker-compose config (static validation of docker-compose.yml)"
docker-compose -f "$ROOT/docker-compose.yml" config -q
echo "==> make test: passed"
