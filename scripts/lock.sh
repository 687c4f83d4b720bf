#!/usr/bin/env bash
# Make the lock files again after a change of requirements*.txt: every package, pinned, with hashes.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m piptools compile --quiet --strip-extras --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links \
    --output-file requirements.lock requirements.txt "$@"
python3 -m piptools compile --quiet --strip-extras --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links \
    --output-file requirements-test.lock requirements-test.txt "$@"
python3 scripts/check_lock.py
