// The virtualised scrolling of the message list: dynamic row heights, the first
// position (newest messages, or the unread divider), scroll kept in place when
// pages load above, following the newest messages when at the bottom, jumps to a
// message, and the count of new messages I have not seen.
import { elementScroll, useVirtualizer, type VirtualizerOptions } from '@tanstack/vue-virtual';
import { computed, nextTick, onBeforeUnmount, ref, watch, type Ref } from 'vue';
import type { ChatMessages } from '../../../stores/messages';
import type { HistoryRow } from './rows';
import { appendedSince, isAtBottom, mountedRows, wantedPages } from './windowing';

const FOCUS_MS = 2500;

export interface HistoryScrollOptions {
  scroller: Ref<HTMLElement | null>;
  /** The element as tall as the whole list (the rows are positioned inside it). */
  inner: Ref<HTMLElement | null>;
  rows: Ref<HistoryRow[]>;
  state: () => ChatMessages;
  myId: () => number | null;
  onOlder: () => void;
  onNewer: () => void;
  onLatest: () => void;
}

export function useHistoryScroll(o: HistoryScrollOptions) {
  // A page loaded above moves the scroll position down by the page's height in the same
  // update that grows the list, before Vue renders the new height: the browser would clamp
  // that write to the old height and the view would jump. The list grows first.
  const scrollToFn: VirtualizerOptions<HTMLElement, Element>['scrollToFn'] = (offset, options, instance) => {
    const inner = o.inner.value;
    if (inner) inner.style.height = `${instance.getTotalSize()}px`;
    elementScroll(offset, options, instance);
  };
  const virtualizer = useVirtualizer(
    computed(() => {
      // Bound to this version of the rows: when they change, the virtualizer compares the
      // old keys with the new ones to keep the row I look at in place.
      const rows = o.rows.value;
      return {
      count: rows.length,
      getScrollElement: () => o.scroller.value,
      scrollToFn,
      // A first guess; every mounted row is measured.
      estimateSize: (i: number) => (rows[i]?.day ? 100 : 64),
      getItemKey: (i: number) => rows[i]?.key ?? i,
      rangeExtractor: mountedRows,
      paddingStart: 40,
      paddingEnd: o.state().hasNewer ? 40 : 8,
      // Pages loaded above keep the row I look at in place; at the end, new rows are followed.
      anchorTo: 'end' as const,
      followOnAppend: true,
      scrollEndThreshold: 24,
      };
    }),
  );
  // A row entirely above the viewport that changes height (measured for the first time, or
  // its day separator gone because the page above holds the same day) moves what I read by
  // as much: the scroll position follows it, also while scrolling up (where the library
  // would not, by default), since that is the way a chat is read back.
  virtualizer.value.shouldAdjustScrollPositionOnItemSizeChange = (item, _delta, instance) =>
    item.end <= (instance.scrollOffset ?? 0);
  const items = computed(() => virtualizer.value.getVirtualItems());
  const totalSize = computed(() => virtualizer.value.getTotalSize());
  const atBottom = ref(true);
  const unseen = ref(0);
  const focusedId = ref<number | null>(null);
  let positioned = false;
  let goingLatest = false;
  let focusTimer: ReturnType<typeof setTimeout> | undefined;

  const indexOf = (id: number) => o.rows.value.findIndex((r) => r.key === id);

  function scrollToEnd(): void {
    const count = o.rows.value.length;
    if (count === 0) return;
    virtualizer.value.scrollToIndex(count - 1, { align: 'end' });
    unseen.value = 0;
  }

  function showFocus(): void {
    const focus = o.state().focus;
    if (!focus) return;
    const at = indexOf(focus.id);
    if (at < 0) return;
    positioned = true;
    virtualizer.value.scrollToIndex(at, { align: 'center' });
    focusedId.value = focus.id;
    clearTimeout(focusTimer);
    focusTimer = setTimeout(() => (focusedId.value = null), FOCUS_MS);
  }

  /** Edge loading waits until the list rests at its first position (rows are measured and the
   *  scroll corrected over a few frames; a page loaded meanwhile would land mid-correction). */
  function settle(): void {
    let last = -1;
    let still = 0;
    let frames = 0;
    const check = () => {
      const top = o.scroller.value?.scrollTop ?? 0;
      still = top === last ? still + 1 : 0;
      last = top;
      if (still >= 3 || ++frames > 60) {
        positioned = true;
        edges();
      } else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  }

  // The first position: a requested message, else the unread divider, else the newest.
  watch(
    () => o.state().loaded && o.rows.value.length > 0,
    async (ready) => {
      if (!ready || positioned) return;
      await nextTick();
      const s = o.state();
      const unreadAt = s.firstUnreadId === null ? -1 : indexOf(s.firstUnreadId);
      if (s.focus && indexOf(s.focus.id) >= 0) showFocus();
      else if (unreadAt >= 0) virtualizer.value.scrollToIndex(unreadAt, { align: 'start' });
      else scrollToEnd();
      settle();
    },
    { immediate: true },
  );

  watch(
    () => o.state().focus?.nonce,
    async (nonce) => {
      if (nonce === undefined) return;
      await nextTick();
      showFocus();
    },
  );

  // Pages above and below, when the viewport nears an edge of the window.
  function edges(): void {
    if (!positioned) return;
    const range = virtualizer.value.range;
    if (!range) return;
    const want = wantedPages(range.startIndex, range.endIndex, o.rows.value.length, o.state());
    if (want.older) o.onOlder();
    if (want.newer) o.onNewer();
  }
  watch(() => [items.value[0]?.index, items.value.at(-1)?.index, o.rows.value.length] as const, edges);

  // New messages at the end: mine bring me to them; others' count while I am scrolled up.
  watch(
    () => [o.state().items.at(-1)?.id ?? null, o.state().hasNewer] as const,
    async ([, hasNewer], old) => {
      if (!old || old[1] || hasNewer) {
        if (goingLatest && !hasNewer) {
          goingLatest = false;
          await nextTick();
          scrollToEnd();
        }
        return;
      }
      const { mine, others } = appendedSince(o.state().items, old[0], o.myId());
      // Where the reader is now, read from the element before the new rows render: a scroll
      // that just reached the bottom may not have had its scroll event yet (nor has the
      // virtualizer seen it, so it would not follow either).
      const el = o.scroller.value;
      const wasAtBottom = el ? isAtBottom(el) : atBottom.value;
      if (mine > 0 || (others > 0 && wasAtBottom)) {
        await nextTick();
        scrollToEnd();
      } else if (others > 0) unseen.value += others;
    },
  );

  function onScroll(): void {
    const el = o.scroller.value;
    if (!el) return;
    atBottom.value = isAtBottom(el) && !o.state().hasNewer;
    if (atBottom.value) unseen.value = 0;
  }

  /** The "N new" pill: to the newest messages (loading them when the window is elsewhere). */
  function goLatest(): void {
    if (o.state().hasNewer) {
      goingLatest = true;
      o.onLatest();
    } else scrollToEnd();
  }

  const pillCount = computed(() => unseen.value + o.state().missedNewer);

  onBeforeUnmount(() => clearTimeout(focusTimer));

  return { virtualizer, items, totalSize, focusedId, pillCount, onScroll, goLatest };
}
