// Where the API and the WebSocket are. In the browser: this origin (`/api`, and
// `ws[s]://<this host>/ws`), or VITE_API_BASE / VITE_WS_URL when set at build time.
// In the desktop app the page comes from the app itself (tauri://localhost), so the
// server is the address the person entered on first start: desktop.ts sets it here,
// with the fetch that reaches it, before the app mounts.

/** The server's address (`https://chat.example.org`, maybe with a path) or null: same origin. */
let server: string | null = null;
let serverFetch: typeof fetch = (input, init) => fetch(input, init);
let desktop = false;

/** True inside the Tauri desktop app (its IPC bridge is on the window). */
export function inDesktopApp(): boolean {
  return desktop || (typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window);
}

export function useServer(address: string | null, fetchImpl?: typeof fetch): void {
  server = address;
  desktop = true;
  if (fetchImpl) serverFetch = fetchImpl;
}

export function serverAddress(): string | null {
  return server;
}

/** The fetch that API calls use (the desktop app's goes through its HTTP plugin). */
export function apiFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return serverFetch(input, init);
}

/** The API base: `{server}/api` in the desktop app, else the build's or `/api`. */
export function apiBaseFor(address: string | null, configured: string | undefined): string {
  if (address) return `${address}/api`;
  return configured ?? '/api';
}

/** The WebSocket URL: `ws[s]://` of the server, else of this page's host (§1.1). */
export function websocketUrlFor(address: string | null, page: { protocol: string; host: string }, configured?: string): string {
  if (address) {
    const url = new URL(address);
    return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}${url.pathname.replace(/\/$/, '')}/ws`;
  }
  if (configured) return configured;
  return `${page.protocol === 'https:' ? 'wss:' : 'ws:'}//${page.host}/ws`;
}

export function apiBase(): string {
  return apiBaseFor(server, import.meta.env.VITE_API_BASE as string | undefined);
}

export function websocketUrl(): string {
  return websocketUrlFor(server, location, import.meta.env.VITE_WS_URL as string | undefined);
}

export type AddressProblem = 'empty' | 'invalid' | 'scheme' | 'extra';

/**
 * What the person typed as their server's address, as the base the app uses:
 * scheme added when missing (http for localhost and bare IPs, else https), no
 * trailing slash, no user, query or fragment. The app then checks `{base}/health`.
 */
export function normalizeServerAddress(input: string): { ok: true; address: string } | { ok: false; problem: AddressProblem } {
  const text = input.trim();
  if (!text) return { ok: false, problem: 'empty' };
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `http://${text}`);
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, problem: 'scheme' };
  if (!url.hostname || /\s/.test(text)) return { ok: false, problem: 'invalid' };
  if (url.username || url.password || url.search || url.hash) return { ok: false, problem: 'extra' };
  if (!hasScheme && !isLocalOrIp(url.hostname)) url.protocol = 'https:';
  return { ok: true, address: `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}` };
}

function isLocalOrIp(host: string): boolean {
  return host === 'localhost' || /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
}
