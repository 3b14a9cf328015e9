#!/bin/sh
# `npm test`: install what is missing, then typecheck, lint, unit + integration tests
# (real Radicale), the demo build, the end-to-end tests (real Chromium) and a bench smoke run.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
PNPM="npx -y pnpm@10"
echo "== typecheck"; $PNPM run typecheck
echo "== lint"; node_modules/.bin/biome check .
echo "== unit + integration (Vitest, real Radicale)"; node_modules/.bin/vitest run
echo "== demo build"; $PNPM --filter @calsync/demo run build
echo "== end to end (Playwright, Chromium)"; node_modules/.bin/playwright test
# A tiny bench run: fails only if the bench crashes (or its data checks fail), never on timings.
echo "== bench smoke (200 events, 1 repetition)"
node_modules/.bin/tsx --expose-gc test/bench/run.ts --sizes 200 --reps 1 --queries 5 --outbox-edits 20 \
  --out "${TMPDIR:-/tmp}/calsync-bench-smoke.json" >/dev/null
