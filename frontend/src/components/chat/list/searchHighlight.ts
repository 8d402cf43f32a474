// Highlights a query in the rendered messages with the CSS Custom Highlight API:
// no change to the DOM (the message component stays someone else's, and text stays
// text). Browsers without it just show no highlight.
const NAME = 'chat-search';

interface HighlightRegistry {
  set(name: string, highlight: unknown): void;
  delete(name: string): void;
}

function registry(): { highlights: HighlightRegistry; make: (ranges: Range[]) => unknown } | null {
  const css = (globalThis as { CSS?: { highlights?: HighlightRegistry } }).CSS;
  const Highlight = (globalThis as { Highlight?: new (...ranges: Range[]) => unknown }).Highlight;
  if (!css?.highlights || !Highlight) return null;
  return { highlights: css.highlights, make: (ranges) => new Highlight(...ranges) };
}

/** Text nodes of message bodies under `root` (not the sender's name or the time in a header). */
function textNodes(root: HTMLElement): Text[] {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.parentElement?.closest('article') && !node.parentElement.closest('header, time, [role="separator"]')
        ? NodeFilter.FILTER_ACCEPT
        : NodeFilter.FILTER_REJECT,
  });
  const out: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) out.push(n as Text);
  return out;
}

/** Ranges of every case-insensitive occurrence of `query` in the message texts under `root`. */
export function matchRanges(root: HTMLElement, query: string): Range[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const ranges: Range[] = [];
  for (const node of textNodes(root)) {
    const text = node.data.toLowerCase();
    for (let at = text.indexOf(q); at >= 0; at = text.indexOf(q, at + q.length)) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + q.length);
      ranges.push(range);
    }
  }
  return ranges;
}

/** Shows `query` highlighted under `root` (replacing the previous highlight); returns how many. */
export function highlightQuery(root: HTMLElement | null, query: string): number {
  const r = registry();
  if (!r) return 0;
  const ranges = root ? matchRanges(root, query) : [];
  if (ranges.length === 0) r.highlights.delete(NAME);
  else r.highlights.set(NAME, r.make(ranges));
  return ranges.length;
}
