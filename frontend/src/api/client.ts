// One typed client over the generated OpenAPI types (`paths`). Every call takes a
// path template of the document and is typed by it: path and query parameters,
// JSON body and success answer. Failures are `ApiError` values carrying the
// contract's `error` text. A 401 refreshes the tokens once — one refresh shared
// by every call that failed meanwhile — and retries; a failed refresh logs out.
import type { paths } from './schema';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type Json<R> = R extends { content: { 'application/json': infer J } } ? J : undefined;
type Success<O> = O extends { responses: infer R }
  ? R extends { 200: infer A }
    ? Json<A>
    : R extends { 201: infer A }
      ? Json<A>
      : undefined
  : never;
type BodyOf<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type PathOf<O> = O extends { parameters: { path: infer P } } ? (P extends Record<string, unknown> ? P : never) : never;
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
export type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P][M] extends undefined | never ? never : P;
}[keyof paths];

export interface RequestInit<O> {
  params?: PathOf<O>;
  query?: QueryOf<O>;
  body?: BodyOf<O>;
}

/** A failed call: the HTTP status (0 = no answer) and the contract's `error` text. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
  ) {
    super(error);
    this.name = 'ApiError';
  }
}

export interface Tokens {
  access: string;
  refresh: string;
}

export interface TokenStore {
  get(): Tokens | null;
  set(tokens: Tokens): void;
  clear(): void;
}

export interface ClientOptions {
  /** The API base; a function when it is only known at runtime (the desktop app's server). */
  base: string | (() => string);
  tokens: TokenStore;
  /** Called once the session is gone (refresh refused). */
  onLoggedOut?: () => void;
  fetch?: typeof fetch;
}

export type ApiClient = ReturnType<typeof createClient>;

export function createClient(options: ClientOptions) {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  let refreshing: Promise<boolean> | null = null;

  function url(template: string, params?: Record<string, unknown>, query?: Record<string, unknown>): string {
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params?.[name] ?? '')));
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) search.set(key, String(value));
    }
    const qs = search.toString();
    const base = typeof options.base === 'function' ? options.base() : options.base;
    return base + path + (qs ? `?${qs}` : '');
  }

  async function send(method: Method, target: string, body: unknown, token: string | null): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await doFetch(target, {
        method: method.toUpperCase(),
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'Network error');
    }
  }

  /** One refresh at a time; concurrent 401s wait for the same one. */
  function refresh(): Promise<boolean> {
    refreshing ??= (async () => {
      const current = options.tokens.get();
      if (!current) return false;
      const r = await send('post', url('/auth/refresh'), { refresh_token: current.refresh }, null).catch(() => null);
      if (!r || !r.ok) {
        // A network failure keeps the session; a refusal ends it.
        if (r) {
          options.tokens.clear();
          options.onLoggedOut?.();
        }
        return false;
      }
      const answer = (await r.json()) as { access_token: string; refresh_token: string };
      options.tokens.set({ access: answer.access_token, refresh: answer.refresh_token });
      return true;
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function errorOf(r: Response): Promise<ApiError> {
    let text = r.statusText || `HTTP ${r.status}`;
    try {
      const body = (await r.json()) as { error?: unknown };
      if (typeof body.error === 'string') text = body.error;
    } catch {
      // not JSON: keep the status text
    }
    return new ApiError(r.status, text);
  }

  async function request<M extends Method, P extends PathsWith<M>>(
    method: M,
    path: P,
    init: RequestInit<Op<P, M>> = {},
  ): Promise<Success<Op<P, M>>> {
    const target = url(path as string, init.params as Record<string, unknown>, init.query as Record<string, unknown>);
    const sentWith = options.tokens.get()?.access ?? null;
    let r = await send(method, target, init.body, sentWith);
    if (r.status === 401 && sentWith) {
      // Another call may have refreshed already: then just retry with the new token.
      const now = options.tokens.get()?.access ?? null;
      const fresh = now !== null && now !== sentWith ? true : await refresh();
      const token = options.tokens.get()?.access ?? null;
      if (fresh && token) r = await send(method, target, init.body, token);
    }
    if (!r.ok) throw await errorOf(r);
    if (r.status === 204) return undefined as Success<Op<P, M>>;
    return (await r.json()) as Success<Op<P, M>>;
  }

  return {
    request,
    get: <P extends PathsWith<'get'>>(path: P, init?: RequestInit<Op<P, 'get'>>) => request('get', path, init),
    post: <P extends PathsWith<'post'>>(path: P, init?: RequestInit<Op<P, 'post'>>) => request('post', path, init),
    put: <P extends PathsWith<'put'>>(path: P, init?: RequestInit<Op<P, 'put'>>) => request('put', path, init),
    patch: <P extends PathsWith<'patch'>>(path: P, init?: RequestInit<Op<P, 'patch'>>) => request('patch', path, init),
    delete: <P extends PathsWith<'delete'>>(path: P, init?: RequestInit<Op<P, 'delete'>>) =>
      request('delete', path, init),
    refresh,
  };
}
