/** Where to go after logging in: an in-app path from `?next=`, else the chat list. */
export function nextPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) {
    return '/app';
  }
  return next;
}
