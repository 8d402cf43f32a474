// Keyboard behaviour of a modal dialog or menu: focus moves in when it opens, Tab
// stays inside, Esc closes (the store gives focus back to where it was).
import { nextTick, onBeforeUnmount, onMounted, type Ref } from 'vue';

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

export function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)];
}

export function useDialogKeys(root: Ref<HTMLElement | null>, close: () => void, initial?: () => HTMLElement | null) {
  function onKeydown(ev: KeyboardEvent): void {
    const el = root.value;
    if (!el) return;
    if (ev.key === 'Escape') {
      ev.preventDefault();
      ev.stopPropagation();
      close();
      return;
    }
    if (ev.key !== 'Tab') return;
    const items = focusables(el);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (ev.shiftKey && document.activeElement === first) {
      ev.preventDefault();
      last.focus();
    } else if (!ev.shiftKey && document.activeElement === last) {
      ev.preventDefault();
      first.focus();
    }
  }

  onMounted(async () => {
    await nextTick();
    const el = root.value;
    if (!el) return;
    (initial?.() ?? focusables(el)[0] ?? el).focus();
    el.addEventListener('keydown', onKeydown);
  });
  onBeforeUnmount(() => root.value?.removeEventListener('keydown', onKeydown));
}
