#!/usr/bin/env bash
# Idempotent set-up: a virtualenv in .venv with kehoach installed (editable) and its test tools.
# torch is installed first and pinned: an unpinned resolve pulls gigabytes of CUDA packages.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "Tạo môi trường ảo .venv…"
  "$PY" -m venv .venv
fi
if ! .venv/bin/python -c "import torch, sys; sys.exit(torch.__version__.split('+')[0] != '2.13.0')" 2>/dev/null; then
  echo "Cài torch==2.13.0 (CPU)…"
  .venv/bin/pip install -q torch==2.13.0 2>&1 | grep -vE "is ignored: it is neither|^\s*$" || true
  .venv/bin/python -c "import torch" || { echo "torch==2.13.0 could not be installed" >&2; exit 1; }
fi
stamp=.venv/.kehoach-installed
want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || ! .venv/bin/python -c "import kehoach" 2>/dev/null; then
  echo "Cài kehoach và các thư viện…"
  .venv/bin/pip install -q -e ".[test]" 2>&1 | grep -vE "is ignored: it is neither|^\s*$" || true
  .venv/bin/python -c "import kehoach, torch; assert torch.__version__.startswith('2.13.0')"
  echo "$want" > "$stamp"
fi
