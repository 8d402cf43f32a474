// Focus handling shared by the list's menus and dialogs: focus moves in when they
// open, Tab stays inside, Esc closes, and focus returns to where it was.
import { nextTick, onBeforeUnmount, onMounted, type Ref } from 'vue';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE));
}

export function useFocusTrap(root: Ref<HTMLElement | null>, close: () => void, initial?: () => HTMLElement | null | undefined): void {
  const previous = typeof document !== 'undefined' ? (document.activeElement as HTMLElement | null) : null;

  function onKeydown(ev: KeyboardEvent): void {
    if (ev.key === 'Escape') {
      ev.preventDefault();
      ev.stopPropagation();
      close();
      return;
    }
    if (ev.key !== 'Tab' || !root.value) return;
    const items = focusables(root.value);
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
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
    root.value?.addEventListener('keydown', onKeydown);
    const target = initial?.() ?? (root.value ? focusables(root.value)[0] : null);
    target?.focus();
  });
  onBeforeUnmount(() => {
    root.value?.removeEventListener('keydown', onKeydown);
    if (previous && previous.isConnected) previous.focus();
  });
}
