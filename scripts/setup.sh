#!/usr/bin/env bash
# Set up a fresh checkout: a virtualenv with the pinned runtime packages (requirements.txt),
# and the database. --dev adds what the tests and CI use (requirements-dev.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
requirements=requirements.txt
if [ "${1:-}" = "--dev" ]; then
  requirements=requirements-dev.txt
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
.venv/bin/python manage.py migrate --noinput
