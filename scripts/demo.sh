#!/usr/bin/env bash
# Run the demo park on this machine: creates .venv and installs Lianqi when needed, migrates the
# SQLite database under var/, builds the demo park (湘潭市, three parks, ~1,500 enterprises) the
# first time, prints the address and one login per role, and serves it until Ctrl+C. The task
# worker and the periodic sweeps (notifications, deadline warnings, overdue) run alongside as
# child processes and stop with the server (`--no-background` leaves them out).
# Extra arguments go to `lianqi demo` (e.g. scripts/demo.sh --port 8765, --reset, --no-serve).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_env.sh
ensure_venv
exec "$VENV/bin/lianqi" demo "$@"
