// `chorus://` links (registered by the desktop app) as routes of the web app:
// chorus://join/{token} → /join/{token}, chorus://dm/{user id} → /dm/{id}.
// Anything else is ignored (null), so a crafted link cannot open arbitrary routes.
// And which links of a page leave the desktop app for the browser.

export function deepLinkRoute(link: string): string | null {
  const match = /^chorus:\/\/([a-z]+)\/([^/?#]+)\/?(?:[?#].*)?$/i.exec(link.trim());
  if (!match) return null;
  const kind = match[1]!.toLowerCase();
  let value: string;
  try {
    value = decodeURIComponent(match[2]!);
  } catch {
    return null;
  }
  if (kind === 'join' && /^[A-Za-z0-9_-]{1,128}$/.test(value)) return `/join/${value}`;
  if (kind === 'dm' && /^\d{1,18}$/.test(value)) return `/dm/${value}`;
  return null;
}

/**
 * A link the desktop app hands to the browser: http(s) to another origin than the
 * app's own page (message links, attachments). Null: the app handles it itself.
 */
export function externalLink(href: string, pageOrigin: string): string | null {
  let url: URL;
  try {
    url = new URL(href, pageOrigin);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.origin === pageOrigin ? null : url.href;
}
