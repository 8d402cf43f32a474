// Copying to the clipboard, with a short-lived "Copied" note. The clipboard may be
// refused (no permission, insecure origin): then the caller shows the text selected.
import { onBeforeUnmount, ref } from 'vue';

export function useCopy() {
  const copied = ref<string | null>(null);
  const failed = ref<string | null>(null);
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function copy(text: string): Promise<boolean> {
    if (timer) clearTimeout(timer);
    try {
      await navigator.clipboard.writeText(text);
      copied.value = text;
      failed.value = null;
    } catch {
      copied.value = null;
      failed.value = text;
    }
    timer = setTimeout(() => {
      copied.value = null;
      failed.value = null;
    }, 2500);
    return copied.value !== null;
  }

  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer);
  });
  return { copied, failed, copy };
}
