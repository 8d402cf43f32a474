#!/usr/bin/env bash
# Makes sure the tools of `make check-deploy` are installed: Node.js 20+ with
# tools/deploy-check/node_modules matching its package-lock.json (`npm ci` when
# missing or older than the lock: HashiCorp's HCL parser @cdktf/hcl2json, ajv,
# yaml), and promtool (Debian's `prometheus` package) when missing. Silent when
# everything is there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() { if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

scripts/ensure-node.sh tools/deploy-check

if ! command -v promtool >/dev/null; then
    echo "ensure-deploytools: installing promtool (Debian package prometheus)" >&2
    as_root apt-get update -qq
    # The package's service is not started here (no systemd in CI); only
    # promtool is used.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi
