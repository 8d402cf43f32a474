import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client';
import { nextPath } from '../src/router/next';
import { errorText } from '../src/utils/errors';
import { parseTimestamp } from '../src/utils/time';

describe('small helpers', () => {
  it('only follow in-app paths after login', () => {
    expect(nextPath('/c/5/10')).toBe('/c/5/10');
    expect(nextPath('/join/abc')).toBe('/join/abc');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', undefined, ['/c/1']]) {
      expect(nextPath(bad)).toBe('/app');
    }
  });

  it('show the contract text, or a translated sentence without an answer', () => {
    const t = (key: string) => `t:${key}`;
    expect(errorText(new ApiError(401, 'Invalid credentials'), t)).toBe('Invalid credentials');
    expect(errorText(new ApiError(0, 'Network error'), t)).toBe('t:app.networkError');
  });

  it('parse contract timestamps as UTC', () => {
    expect(parseTimestamp('2026-03-01 14:07:09.52113+00').toISOString()).toBe('2026-03-01T14:07:09.521Z');
    expect(parseTimestamp('2026-03-01 14:07:09+00').toISOString()).toBe('2026-03-01T14:07:09.000Z');
  });
});
