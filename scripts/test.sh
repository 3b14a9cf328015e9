#!/bin/sh
# `npm test`: install what is missing, then typecheck, lint, unit + integration tests
# (real Radicale), the demo build and the end-to-end tests (real Chromium).
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
PNPM="npx -y pnpm@10"
echo "== typecheck"; $PNPM run typecheck
echo "== lint"; node_modules/.bin/biome check .
echo "== unit + integration (Vitest, real Radicale)"; node_modules/.bin/vitest run
echo "== demo build"; $PNPM --filter @calsync/demo run build
echo "== end to end (Playwright, Chromium)"; node_modules/.bin/playwright test
