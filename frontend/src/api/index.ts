// The app's API client: same origin, under the contract's `/api` prefix (§1.1);
// in the desktop app the server the person chose (../platform/server.ts).
import { apiBase, apiFetch, websocketUrl } from '../platform/server';
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
  base: apiBase,
  tokens,
  fetch: apiFetch,
  onLoggedOut: () => loggedOutListeners.forEach((l) => l()),
});

/** The WebSocket URL: `ws[s]://<this host>/ws` unless configured (§1.1). */
export { websocketUrl };
