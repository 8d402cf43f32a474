#!/usr/bin/env bash
# Installs tauri-driver (the WebDriver proxy of Tauri 2 apps, over WebKitWebDriver)
# into frontend/src-tauri/target/tools/bin when missing: built with its own target
# dir there, never the workspace's target/. Silent when present.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

tools=frontend/src-tauri/target/tools
[[ -x $tools/bin/tauri-driver ]] && exit 0
echo "ensure-tauri-driver: cargo install tauri-driver 2.x" >&2
CARGO_TARGET_DIR=$tools/build nice -n 10 cargo install tauri-driver --version '~2.1' --locked --root "$tools" --quiet
rm -rf "$tools/build"
