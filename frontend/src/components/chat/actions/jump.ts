// Jumping to a message: the route `/c/{chat}/{message}` (the history list scrolls to
// it, loading around it if needed); when it is already on screen it is also brought
// into view here at once.
import { useRouter } from 'vue-router';

export function useJumpToMessage() {
  const router = useRouter();
  return (chatId: number, messageId: number): void => {
    void router.push({ name: 'chat', params: { id: String(chatId), messageId: String(messageId) } });
    const el = document.getElementById(`message-${messageId}`);
    el?.scrollIntoView?.({ block: 'center', behavior: 'smooth' });
    el?.focus?.({ preventScroll: true });
  };
}
