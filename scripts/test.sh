#!/usr/bin/env bash
# One command: every test. Type checks, unit tests (Vitest), the golden PyTorch cases,
# then the end-to-end flows in Debian's Chromium against the built app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser

echo "== type check"
npm run -s typecheck

echo "== unit tests"
npx vitest run

echo "== golden cases from PyTorch"
npm run -s golden -- golden/autograd.json golden/polyfit.json golden/resnet.json golden/extra.json

echo "== end-to-end"
npx vite build
npx playwright test
