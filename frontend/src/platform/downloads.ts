// The desktop builds the server offers under /downloads/{platform}/{filename}
// (CONTRACT §15.4). `make desktop` copies its packages to these names in the
// downloads directory; Windows and macOS builds are put there by hand (README).
export interface DownloadLink {
  id: 'deb' | 'appimage' | 'windows' | 'macos';
  href: string;
}

export const DESKTOP_DOWNLOADS: readonly DownloadLink[] = [
  { id: 'deb', href: '/downloads/linux/chorus-desktop_amd64.deb' },
  { id: 'appimage', href: '/downloads/linux/chorus-desktop_x86_64.AppImage' },
  { id: 'windows', href: '/downloads/windows/chorus-desktop_x64-setup.exe' },
  { id: 'macos', href: '/downloads/macos/chorus-desktop.dmg' },
];
