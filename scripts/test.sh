#!/usr/bin/env bash
# Run the whole test suite. Creates .venv and installs Lianqi with its test tools when needed.
# SQLite by default; set DATABASE_URL=postgres://… to run the same suite on PostgreSQL.
# Extra arguments go to pytest (e.g. scripts/test.sh -k enterprises).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_env.sh
ensure_venv
exec "$VENV/bin/python" -m pytest -n "${LIANQI_TEST_WORKERS:-2}" -p no:cacheprovider "$@"
