// The app's API client: same origin, under the contract's `/api` prefix (§1.1).
import { createClient } from './client';
import { localTokenStore } from './tokens';

export { ApiError } from './client';
export type { ApiClient } from './client';

export const tokens = localTokenStore();

const loggedOutListeners = new Set<() => void>();
export function onLoggedOut(listener: () => void): void {
  loggedOutListeners.add(listener);
}

export const api = createClient({
  base: import.meta.env.VITE_API_BASE ?? '/api',
  tokens,
  onLoggedOut: () => loggedOutListeners.forEach((l) => l()),
});

/** The WebSocket URL: `ws[s]://<this host>/ws` unless configured (§1.1). */
export function websocketUrl(): string {
  const configured = import.meta.env.VITE_WS_URL as string | undefined;
  if (configured) return configured;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}
