import { describe, expect, it, vi } from 'vitest';
import { ApiError, createClient, type TokenStore, type Tokens } from '../src/api/client';

function memoryTokens(initial: Tokens | null): TokenStore & { value: Tokens | null } {
  const store = {
    value: initial,
    get: () => store.value,
    set: (t: Tokens) => {
      store.value = t;
    },
    clear: () => {
      store.value = null;
    },
  };
  return store;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('the API client', () => {
  it('refreshes once for concurrent 401s and retries each call with the new token', async () => {
    const tokens = memoryTokens({ access: 'old', refresh: 'r1' });
    let refreshes = 0;
    const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
      const auth = (init?.headers as Record<string, string>)?.Authorization;
      if (String(url).endsWith('/auth/refresh')) {
        refreshes++;
        await new Promise((r) => setTimeout(r, 5));
        return json(200, { access_token: 'new', refresh_token: 'r2', token_type: 'Bearer', expires_in: 3600 });
      }
      return auth === 'Bearer new' ? json(200, { id: 1, url: String(url) }) : json(401, { error: 'Invalid or expired token' });
    });
    const api = createClient({ base: '/api', tokens, fetch: fetch as typeof globalThis.fetch });
    const [a, b, c] = await Promise.all([
      api.get('/me'),
      api.get('/chats/{id}', { params: { id: 5 } }),
      api.get('/chats/{id}/messages', { params: { id: 5 }, query: { after_seq: 3, limit: 100 } }),
    ]);
    expect(refreshes).toBe(1);
    expect(tokens.value).toEqual({ access: 'new', refresh: 'r2' });
    expect((a as unknown as { url: string }).url).toBe('/api/me');
    expect((b as unknown as { url: string }).url).toBe('/api/chats/5');
    expect((c as unknown as { url: string }).url).toBe('/api/chats/5/messages?after_seq=3&limit=100');
  });

  it('logs out when the refresh is refused, and reports the contract text', async () => {
    const tokens = memoryTokens({ access: 'old', refresh: 'r1' });
    const loggedOut = vi.fn();
    const fetch = vi.fn(async (url: string | URL | Request) =>
      String(url).endsWith('/auth/refresh')
        ? json(401, { error: 'Invalid or expired refresh token' })
        : json(401, { error: 'Invalid or expired token' }),
    );
    const api = createClient({ base: '', tokens, fetch: fetch as typeof globalThis.fetch, onLoggedOut: loggedOut });
    const failure = await api.get('/chats').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 401, error: 'Invalid or expired token' });
    expect(loggedOut).toHaveBeenCalledTimes(1);
    expect(tokens.value).toBeNull();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('turns error bodies into typed values and sends JSON bodies', async () => {
    const fetch = vi.fn(async () => json(400, { error: 'Username must be 3–32 characters' }));
    const api = createClient({ base: '/api', tokens: memoryTokens(null), fetch: fetch as typeof globalThis.fetch });
    const failure = await api
      .post('/auth/register', { body: { username: 'ab', email: 'a@b', password: 'xxxxxxxx' } })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ status: 400, error: 'Username must be 3–32 characters' });
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(JSON.parse(String(init.body))).toEqual({ username: 'ab', email: 'a@b', password: 'xxxxxxxx' });
  });

  it('reports a network failure as status 0', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const api = createClient({ base: '', tokens: memoryTokens(null), fetch: fetch as typeof globalThis.fetch });
    await expect(api.get('/chats')).rejects.toMatchObject({ status: 0, error: 'Network error' });
  });
});
