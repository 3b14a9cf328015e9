#!/bin/sh
# `npm test`: install what is missing, then typecheck, lint, unit + integration tests
# (real Radicale), the demo build, the end-to-end tests (real Chromium) and a bench smoke run.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
PNPM="npx -y pnpm@10"
echo "== typecheck"; $PNPM run typecheck
echo "== lint"; node_modules/.bin/biome check .
# Packages as apps get them: built dist/, checked by publint and arethetypeswrong (ESM-only
# profile: calsync ships no CommonJS), then packed and installed by the consumer apps below.
echo "== packages (build, publint, attw)"
$PNPM --filter @calsync/core run build
node_modules/.bin/publint --strict --pack npm packages/core
node_modules/.bin/attw --pack packages/core --profile esm-only
for adapter in lit react fullcalendar; do
  $PNPM --filter "@calsync/$adapter" run build
  node_modules/.bin/publint --strict --pack npm "packages/$adapter"
  node_modules/.bin/attw --pack "packages/$adapter" --profile esm-only
done
$PNPM --filter @calsync/proxy run build
node_modules/.bin/publint --strict --pack npm apps/proxy
node_modules/.bin/attw --pack apps/proxy --profile esm-only
# The API reference builds, and every public export has a doc comment (to a temp folder:
# `npm run docs:api` regenerates the committed docs/api/).
echo "== API reference (TypeDoc)"; node_modules/.bin/typedoc --out "${TMPDIR:-/tmp}/calsync-api-docs" >/dev/null
echo "== unit + integration + consumer apps (Vitest, real Radicale and Xandikos)"; node_modules/.bin/vitest run
echo "== demo build"; $PNPM --filter @calsync/demo run build
echo "== end to end (Playwright, Chromium)"; node_modules/.bin/playwright test
# A tiny bench run: fails only if the bench crashes (or its data checks fail), never on timings.
echo "== bench smoke (200 events, 1 repetition)"
node_modules/.bin/tsx --conditions=source --expose-gc test/bench/run.ts --sizes 200 --reps 1 --queries 5 --outbox-edits 20 \
  --out "${TMPDIR:-/tmp}/calsync-bench-smoke.json" >/dev/null
