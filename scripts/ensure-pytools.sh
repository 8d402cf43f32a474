#!/usr/bin/env bash
# Makes sure the Python tools of the API checks (tools/requirements-api.txt:
# the OpenAPI 3.1 validator and the schemathesis fuzzer) are installed in a
# virtualenv under target/pytools, installing them from PyPI when missing or
# when the requirements changed. Prints nothing when they are already there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly VENV=target/pytools
readonly REQS=tools/requirements-api.txt
readonly STAMP="$VENV/.requirements"

if [[ -x "$VENV/bin/schemathesis" ]] && cmp -s "$REQS" "$STAMP"; then
    exit 0
fi
command -v python3 >/dev/null || { echo "ensure-pytools: python3 is required" >&2; exit 1; }
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    echo "ensure-pytools: installing python3-venv" >&2
    if [[ $EUID -eq 0 ]]; then apt-get install -y -qq python3-venv >/dev/null; else sudo apt-get install -y -qq python3-venv >/dev/null; fi
fi
echo "ensure-pytools: installing $(grep -cv '^#' "$REQS") Python packages into $VENV" >&2
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQS"
cp "$REQS" "$STAMP"
