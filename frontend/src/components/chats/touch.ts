// Touch gestures on a list line: a long press or a swipe to the left opens the
// chat's menu; the click that follows the gesture is swallowed.
import { onBeforeUnmount } from 'vue';

const LONG_PRESS_MS = 550;
const SWIPE_PX = 60;

export function useMenuGestures(open: (at: { x: number; y: number }) => void) {
  let pressTimer: ReturnType<typeof setTimeout> | null = null;
  let start: { x: number; y: number } | null = null;
  let swallowClick = false;

  function cancelPress(): void {
    if (pressTimer) clearTimeout(pressTimer);
    pressTimer = null;
  }
  onBeforeUnmount(cancelPress);

  return {
    onPointerDown(ev: PointerEvent): void {
      if (ev.pointerType !== 'touch') return;
      const at = { x: ev.clientX, y: ev.clientY };
      start = at;
      swallowClick = false;
      cancelPress();
      pressTimer = setTimeout(() => {
        swallowClick = true;
        open(at);
      }, LONG_PRESS_MS);
    },
    onPointerMove(ev: PointerEvent): void {
      if (!start) return;
      const dx = ev.clientX - start.x;
      const dy = Math.abs(ev.clientY - start.y);
      if (Math.abs(dx) > 10 || dy > 10) cancelPress();
      if (dx < -SWIPE_PX && dy < 30) {
        swallowClick = true;
        start = null;
        open({ x: ev.clientX, y: ev.clientY });
      }
    },
    onPointerEnd(): void {
      cancelPress();
      start = null;
    },
    onClickCapture(ev: MouseEvent): void {
      if (!swallowClick) return;
      swallowClick = false;
      ev.preventDefault();
      ev.stopPropagation();
    },
  };
}
