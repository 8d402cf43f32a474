// A touch long-press (≥ 500 ms without moving) opens the bottom sheet; a mouse or
// pen never triggers it (they have the right-click menu and the "More" button).
import { onBeforeUnmount } from 'vue';

export const LONG_PRESS_MS = 500;
const MOVE_TOLERANCE_PX = 10;

export function useLongPress(onLongPress: (at: { x: number; y: number }) => void, ms = LONG_PRESS_MS) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let start = { x: 0, y: 0 };
  /** True right after a long-press: the click / contextmenu that follows is swallowed. */
  let fired = false;

  function cancel(): void {
    if (timer) clearTimeout(timer);
    timer = null;
  }

  function onPointerdown(ev: PointerEvent): void {
    fired = false;
    if (ev.pointerType !== 'touch') return;
    start = { x: ev.clientX, y: ev.clientY };
    cancel();
    timer = setTimeout(() => {
      timer = null;
      fired = true;
      onLongPress(start);
    }, ms);
  }

  function onPointermove(ev: PointerEvent): void {
    if (timer && Math.hypot(ev.clientX - start.x, ev.clientY - start.y) > MOVE_TOLERANCE_PX) cancel();
  }

  /** Whether the gesture that just ended was a long-press (then its click does nothing). */
  function consumed(): boolean {
    const was = fired;
    fired = false;
    return was;
  }

  onBeforeUnmount(cancel);

  return {
    handlers: { pointerdown: onPointerdown, pointermove: onPointermove, pointerup: cancel, pointercancel: cancel, pointerleave: cancel },
    consumed,
  };
}
