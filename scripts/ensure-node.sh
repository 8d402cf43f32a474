#!/usr/bin/env bash
# Makes sure Node.js (20 or newer) and npm are installed (Debian packages when
# missing) and that <dir>/node_modules matches <dir>/package-lock.json (`npm ci`
# when it is missing or older than the lock file). <dir> is the first argument,
# frontend by default. Silent when done.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() { if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "ensure-node: installing nodejs and npm" >&2
    as_root apt-get update -qq
    as_root apt-get install -y -qq nodejs npm >/dev/null
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if (( major < 20 )); then
    echo "ensure-node: Node.js $major is too old; 20 or newer is needed" >&2
    exit 1
fi
dir=${1:-frontend}
stamp=$dir/node_modules/.package-lock.json
if [[ ! -f $stamp || $dir/package-lock.json -nt $stamp ]]; then
    echo "ensure-node: npm ci in $dir/" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
