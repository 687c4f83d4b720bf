#!/usr/bin/env bash
# Install what the tests need, then run them (SQLite always; PostgreSQL where reachable, mandatory in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -r requirements-test.txt
exec python3 -m pytest -q "$@"
