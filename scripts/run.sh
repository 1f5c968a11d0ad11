#!/usr/bin/env bash
# Set everything up, then serve Smooth on SMOOTH_AGENT_BIND:SMOOTH_AGENT_PORT
# (default 127.0.0.1:8787) with the embedded defaults: SQLite, in-memory channel
# layer, the demo knowledge seeded, and offline answers from it. Set
# SMOOTH_AGENT_LLM=gateway and SMOOAI_GATEWAY_KEY to answer with a model instead.
# --setup-only stops after the set-up (CI uses it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ "${1:-}" = "--setup-only" ]; then
  exit 0
fi
export SMOOTH_AGENT_SEED_KB="${SMOOTH_AGENT_SEED_KB:-1}"
export SMOOTH_AGENT_LLM="${SMOOTH_AGENT_LLM:-offline}"
exec .venv/bin/python manage.py serve
