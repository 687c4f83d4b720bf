#!/usr/bin/env bash
# Install what the tests need, then run them (SQLite always; PostgreSQL where reachable, mandatory in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
# The lock files must agree with the requirements (scripts/lock.sh makes them); then install exactly them.
python3 scripts/check_lock.py
python3 -m pip install -q --disable-pip-version-check --require-hashes -r requirements-test.lock
# The browser test drives Debian's Chromium (playwright's own browser downloads are not used).
if ! command -v chromium >/dev/null && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null
fi
# Lint and format are part of the tests: a change that breaks them fails like a failing test.
python3 -m ruff check --quiet .
python3 -m ruff format --check --quiet .
# Types: mypy with the configuration in pyproject.toml.
python3 -m mypy
exec python3 -m pytest -q "$@"
