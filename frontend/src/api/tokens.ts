// The session's tokens in localStorage: a reload stays logged in.
import type { TokenStore, Tokens } from './client';

const KEY = 'chorus.tokens';

export function localTokenStore(storage: Storage = localStorage): TokenStore {
  return {
    get() {
      try {
        const value = JSON.parse(storage.getItem(KEY) ?? 'null') as Tokens | null;
        return value && typeof value.access === 'string' && typeof value.refresh === 'string' ? value : null;
      } catch {
        return null;
      }
    },
    set(tokens) {
      storage.setItem(KEY, JSON.stringify(tokens));
    },
    clear() {
      storage.removeItem(KEY);
    },
  };
}
