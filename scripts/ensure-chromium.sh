#!/usr/bin/env bash
# Makes sure Debian's Chromium and the colour emoji font are installed (the
# browser tests drive /usr/bin/chromium with playwright-core, which cannot
# download browsers here). Silent when both are present.
set -euo pipefail

as_root() { if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-color-emoji 2>/dev/null | grep -q 'install ok installed' ||
    missing+=(fonts-noto-color-emoji)
if (( ${#missing[@]} > 0 )); then
    echo "ensure-chromium: installing ${missing[*]}" >&2
    as_root apt-get update -qq
    as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi
