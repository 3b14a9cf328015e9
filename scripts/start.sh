#!/bin/sh
# `npm start`: install what is missing, build the demo, start Radicale (seeded) + proxy + demo.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
npx -y pnpm@10 --filter @calsync/demo run build
exec node_modules/.bin/tsx --conditions=source scripts/start.ts
