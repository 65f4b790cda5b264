#!/usr/bin/env bash
# Creates .venv with the Python packages the interop tests and the demo client use.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import mcp, pytest, selenium' 2>/dev/null; then
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r tests/interop/requirements.txt
fi
