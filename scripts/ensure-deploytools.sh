#!/usr/bin/env bash
# Makes sure the tools of `make check-deploy` are installed: Node.js 20+ with
# tools/deploy-check/node_modules matching its package-lock.json (`npm ci` when
# missing or older than the lock: HashiCorp's HCL parser @cdktf/hcl2json, ajv,
# yaml), and promtool (Debian's `prometheus` package) when missing. Silent when
# everything is there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() { if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "ensure-deploytools: installing nodejs and npm" >&2
    as_root apt-get update -qq
    as_root apt-get install -y -qq nodejs npm >/dev/null
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if (( major < 20 )); then
    echo "ensure-deploytools: Node.js $major is too old; 20 or newer is needed" >&2
    exit 1
fi
stamp=tools/deploy-check/node_modules/.package-lock.json
if [[ ! -f $stamp || tools/deploy-check/package-lock.json -nt $stamp ]]; then
    echo "ensure-deploytools: npm ci in tools/deploy-check/" >&2
    (cd tools/deploy-check && npm ci --no-audit --no-fund --loglevel=error)
fi

if ! command -v promtool >/dev/null; then
    echo "ensure-deploytools: installing promtool (Debian package prometheus)" >&2
    as_root apt-get update -qq
    # The package's service is not started here (no systemd in CI); only
    # promtool is used.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi
