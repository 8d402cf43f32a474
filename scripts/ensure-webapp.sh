#!/usr/bin/env bash
# Builds the web app (frontend/dist) when it is missing or older than any of its
# sources, after making sure Node and the locked packages are installed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/ensure-node.sh
stamp=frontend/dist/index.html
if [[ -f $stamp ]]; then
    newer=$(find frontend/src frontend/public frontend/index.html frontend/vite.config.ts \
        frontend/package-lock.json frontend/tsconfig.json -newer "$stamp" -print -quit 2>/dev/null)
    [[ -z $newer ]] && exit 0
fi
echo "ensure-webapp: building frontend/dist" >&2
(cd frontend && npm run build --silent)
