// What a failed call says to the user: the contract's `error` text verbatim
// (§1.3), or a translated sentence when there was no answer at all.
import { ApiError } from '../api/client';

export function errorText(e: unknown, t: (key: string) => string): string {
  if (e instanceof ApiError) return e.status === 0 ? t('app.networkError') : e.error;
  return e instanceof Error ? e.message : String(e);
}
