#!/usr/bin/env bash
# Makes sure the Debian packages that building and testing the Tauri desktop app
# (frontend/src-tauri) needs are installed: WebKitGTK 4.1, the tray's appindicator,
# librsvg, OpenSSL headers, and for `make test-desktop` Xvfb and WebKitWebDriver.
# Also the tools that the AppImage bundler calls (file, squashfs via linuxdeploy's
# own runtime needs FUSE-less extraction, see the README). Silent when all are present.
set -euo pipefail

as_root() { if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

want=(
    build-essential pkg-config file curl wget xdg-utils
    libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
    libayatana-appindicator3-dev librsvg2-dev libssl-dev libxdo-dev
    squashfs-tools xvfb xauth x11-apps netpbm webkit2gtk-driver dbus-x11 python3-dbus python3-gi
)
missing=()
for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if (( ${#missing[@]} > 0 )); then
    echo "ensure-desktop: installing ${missing[*]}" >&2
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
