#!/usr/bin/env bash
# Set everything up, then serve Smooth on SMOOTH_AGENT_BIND:SMOOTH_AGENT_PORT
# (default 127.0.0.1:8787) with the embedded defaults: SQLite, in-memory channel layer.
# --setup-only stops after the set-up (CI uses it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ "${1:-}" = "--setup-only" ]; then
  exit 0
fi
exec .venv/bin/python manage.py serve
