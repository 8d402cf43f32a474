#!/usr/bin/env bash
# The AppImage from Debian's packages only (used by scripts/desktop-build.sh when
# GitHub, where Tauri's bundler fetches linuxdeploy and AppRun, cannot be reached):
# the .deb's files as the AppDir, our AppRun, a squashfs image (squashfs-tools) and
# a small runtime compiled here (scripts/appimage/runtime.c). Unlike linuxdeploy's
# result it does not carry GTK/WebKitGTK: the host needs them, as for the .deb
# (libwebkit2gtk-4.1-0), and squashfuse or unsquashfs to open the image.
# Usage: scripts/appimage-debian.sh path/to/chorus.deb — prints the AppImage's path.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

deb=$1
out=frontend/src-tauri/target/release/bundle/appimage-debian
rm -rf "$out"
mkdir -p "$out"
appdir=$out/Chorus.AppDir
dpkg-deb -x "$deb" "$appdir"
install -m 0755 scripts/appimage/AppRun "$appdir/AppRun"
desktop=$(find "$appdir/usr/share/applications" -name '*.desktop' | head -n1)
cp "$desktop" "$appdir/"
icon_name=$(sed -n 's/^Icon=//p' "$desktop" | head -n1)
icon=$(find "$appdir/usr/share/icons" -name "$icon_name.png" -printf '%s %p\n' | sort -n | tail -n1 | cut -d' ' -f2-)
cp "$icon" "$appdir/$icon_name.png"
ln -s "$icon_name.png" "$appdir/.DirIcon"

gcc -O2 -Wall -o "$out/runtime" scripts/appimage/runtime.c
mksquashfs "$appdir" "$out/image.squashfs" -root-owned -noappend -comp gzip -quiet -no-progress >&2
version=$(dpkg-deb -f "$deb" Version)
appimage=$out/Chorus_${version}_amd64.AppImage
cat "$out/runtime" "$out/image.squashfs" > "$appimage"
# The type-2 magic ("AI" 2) in the ELF header's padding.
printf 'AI\002' | dd of="$appimage" bs=1 seek=8 conv=notrunc status=none
chmod 0755 "$appimage"
rm -f "$out/image.squashfs"
echo "$appimage"
