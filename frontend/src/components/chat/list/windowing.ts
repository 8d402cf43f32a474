// The message list's windowing bookkeeping, kept pure for tests: which rows are
// mounted, when to load a page above or below, how many new messages I have not seen.
import type { Range } from '@tanstack/vue-virtual';
import type { Message } from '../../../api/types';

/** Rows mounted above the viewport: history grows upwards, and rows measured before they
 *  scroll into view do not shift the page while the reader scrolls up. */
export const OVERSCAN_ABOVE = 24;
export const OVERSCAN_BELOW = 6;
/** The newest rows stay mounted wherever the reader is: `role="log"` is a live region, and
 *  a screen reader announces only messages that enter the DOM. */
export const LIVE_TAIL = 3;
/** A page is asked for when the viewport is this many rows (about two screens) from an edge of the window. */
export const EDGE_ROWS = 20;
/** Within this many pixels of the end counts as "at the bottom". */
export const BOTTOM_SLACK_PX = 48;

/** The mounted rows (ascending, no duplicates): the visible range widened, plus the live tail. */
export function mountedRows(range: Pick<Range, 'startIndex' | 'endIndex' | 'count'>): number[] {
  const { startIndex, endIndex, count } = range;
  if (count <= 0) return [];
  const from = Math.max(0, startIndex - OVERSCAN_ABOVE);
  const to = Math.min(count - 1, endIndex + OVERSCAN_BELOW);
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  for (let i = Math.max(to + 1, count - LIVE_TAIL); i < count; i++) out.push(i);
  return out;
}

export interface EdgeState {
  hasOlder: boolean;
  loadingOlder: boolean;
  hasNewer: boolean;
  loadingNewer: boolean;
}

/** Whether the visible rows `first..last` of `count` call for a page above or below. */
export function wantedPages(first: number, last: number, count: number, s: EdgeState): { older: boolean; newer: boolean } {
  return {
    older: s.hasOlder && !s.loadingOlder && first <= EDGE_ROWS,
    newer: s.hasNewer && !s.loadingNewer && last >= count - 1 - EDGE_ROWS,
  };
}

/** Messages after `lastSeenId` (newly appended), split into mine and others'. */
export function appendedSince(items: readonly Message[], lastSeenId: number | null, myId: number | null): { mine: number; others: number } {
  let mine = 0;
  let others = 0;
  if (lastSeenId === null) return { mine, others };
  for (let i = items.length - 1; i >= 0; i--) {
    const m = items[i];
    if (!m || m.id <= lastSeenId) break;
    if (m.sender_id === myId) mine += 1;
    else others += 1;
  }
  return { mine, others };
}

export function isAtBottom(el: Pick<HTMLElement, 'scrollHeight' | 'scrollTop' | 'clientHeight'>): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
}
