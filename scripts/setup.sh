#!/bin/sh
# Installs what the README commands need on a fresh Debian machine with Node 20 + npm:
# Debian packages (radicale, xandikos, chromium) when missing, then the workspace's npm packages
# with pnpm 10 (through npx: corepack's signature check fails on this kind of machine).
set -eu
cd "$(dirname "$0")/.."

node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("calsync needs Node >= 20.19, found "+process.versions.node); process.exit(1) }'

missing=""
command -v radicale >/dev/null 2>&1 || missing="$missing radicale"
command -v xandikos >/dev/null 2>&1 || missing="$missing xandikos"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
if [ -n "$missing" ]; then
  echo "Installing Debian packages:$missing"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

if [ ! -d node_modules/.pnpm ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  npx -y pnpm@10 install --frozen-lockfile
fi
