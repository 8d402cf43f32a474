#!/usr/bin/env bash
# Builds the desktop app's Linux packages from the built web app (frontend/dist):
# the .deb with `tauri build`, then the AppImage. Tauri's AppImage bundler downloads
# linuxdeploy, its GTK plugin and AppRun from GitHub; where GitHub cannot be reached
# (this project's CI machines) scripts/appimage-debian.sh makes the AppImage from
# Debian's packages instead. Both packages are then copied to downloads/linux/
# under the names the web app's "Download the app" links to.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bundle=frontend/src-tauri/target/release/bundle
(cd frontend && npx tauri build --ci --bundles deb)
deb=$(ls -t "$bundle"/deb/*.deb | head -n1)

appimage_route=${CHORUS_APPIMAGE_ROUTE:-auto}
if [[ $appimage_route == auto ]]; then
    appimage_route=debian
    [[ -x ${XDG_CACHE_HOME:-$HOME/.cache}/tauri/linuxdeploy-x86_64.AppImage ]] && appimage_route=tauri
    curl -sfI --max-time 10 https://github.com/ >/dev/null 2>&1 && appimage_route=tauri
fi
if [[ $appimage_route == tauri ]]; then
    (cd frontend && npx tauri bundle --ci --bundles appimage)
    appimage=$(ls -t "$bundle"/appimage/*.AppImage | head -n1)
else
    echo "desktop-build: GitHub is not reachable: the AppImage is made from Debian's packages" >&2
    appimage=$(scripts/appimage-debian.sh "$deb")
fi

mkdir -p downloads/linux
cp "$deb" downloads/linux/chorus-desktop_amd64.deb
cp "$appimage" downloads/linux/chorus-desktop_x86_64.AppImage
ls -l "$deb" "$appimage"
