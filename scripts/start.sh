#!/usr/bin/env bash
# One command: install, build the static app, and serve it at http://127.0.0.1:4173/
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx vite build
echo "[start] Autograd Playground at http://127.0.0.1:4173/"
exec npx vite preview --port 4173 --strictPort --host 127.0.0.1
