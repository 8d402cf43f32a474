// Focus handling shared by the list's menus and dialogs: focus moves in when they
// open, Tab stays inside, Esc closes, and focus returns to where it was.
import { nextTick, onBeforeUnmount, onMounted, type Ref } from 'vue';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE));
}

// Open traps, innermost last: only it answers keys (a menu over a dialog closes first).
const stack: symbol[] = [];

export function useFocusTrap(root: Ref<HTMLElement | null>, close: () => void, initial?: () => HTMLElement | null | undefined): void {
  const previous = typeof document !== 'undefined' ? (document.activeElement as HTMLElement | null) : null;

  const self = Symbol('trap');

  function onKeydown(ev: KeyboardEvent): void {
    if (stack[stack.length - 1] !== self) return;
    if (ev.key === 'Escape') {
      ev.preventDefault();
      ev.stopPropagation();
      close();
      return;
    }
    if (ev.key !== 'Tab' || !root.value) return;
    const items = focusables(root.value);
    if (items.length === 0) return;
    // Focus fell out (a button that went disabled): bring it back in.
    if (!root.value.contains(document.activeElement)) {
      ev.preventDefault();
      items[0]!.focus();
      return;
    }
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

  let gone = false;
  onMounted(async () => {
    await nextTick();
    if (gone) return;
    stack.push(self);
    // On the document: Esc works even when focus fell out of the dialog.
    document.addEventListener('keydown', onKeydown);
    const target = initial?.() ?? (root.value ? focusables(root.value)[0] : null);
    target?.focus();
  });
  onBeforeUnmount(() => {
    gone = true;
    document.removeEventListener('keydown', onKeydown);
    const at = stack.indexOf(self);
    if (at >= 0) stack.splice(at, 1);
    if (previous && previous.isConnected) previous.focus();
  });
}
