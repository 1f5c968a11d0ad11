#!/usr/bin/env bash
# Run the whole test suite (sets up the virtualenv, with the test tools, first if needed).
# Extra arguments go to pytest, e.g. scripts/test.sh tests/widget_auth -x
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev >/dev/null
exec .venv/bin/python -m pytest "$@"
