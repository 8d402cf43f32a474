// Splits message text into plain runs and links, so links render as real <a>
// elements built from text (never HTML from the message). Only http(s) URLs become
// links; trailing punctuation of the sentence stays outside the link.
export type Segment = { text: string; href?: undefined } | { text: string; href: string };

const CANDIDATE = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi;
const TRAILING = /[.,;:!?'»”)\]}]+$/;

function unbalancedClosers(url: string): number {
  // "(see https://en.wikipedia.org/wiki/Foo_(bar))": keep the paren of the URL.
  const open = (url.match(/\(/g) ?? []).length;
  const close = (url.match(/\)/g) ?? []).length;
  return close - open;
}

function trimTrailing(url: string): string {
  let out = url;
  for (;;) {
    const m = TRAILING.exec(out);
    if (!m) return out;
    const last = out.at(-1);
    if (last === ')' && unbalancedClosers(out) <= 0) return out;
    out = out.slice(0, -1);
  }
}

export function safeHref(raw: string): string | null {
  const withScheme = /^www\./i.test(raw) ? `https://${raw}` : raw;
  try {
    const url = new URL(withScheme);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export function linkify(text: string): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const m of text.matchAll(CANDIDATE)) {
    const start = m.index ?? 0;
    const raw = trimTrailing(m[0]);
    const href = safeHref(raw);
    if (!href || raw.length === 0) continue;
    if (start > at) out.push({ text: text.slice(at, start) });
    out.push({ text: raw, href });
    at = start + raw.length;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/** 1536 → "1.5 KB" (binary units, one decimal below 10). */
export function fileSize(bytes: number, locale = 'en'): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toLocaleString(locale, { maximumFractionDigits: digits })} ${units[unit]}`;
}

/** 75 → "1:15". */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
