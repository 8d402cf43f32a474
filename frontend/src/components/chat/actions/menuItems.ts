// Which actions a message offers, in menu order (§9.6: only my text messages can be edited).
import type { Message } from '../../../api/types';

export type MenuAction = 'reply' | 'edit' | 'copy' | 'pin' | 'unpin' | 'forward' | 'select' | 'delete';

/** `readOnly`: a channel where I am a plain member — I can neither post (reply) nor pin there (§7.12). */
export function menuActions(message: Message, mine: boolean, pinned: boolean, readOnly = false): MenuAction[] {
  const out: MenuAction[] = readOnly ? [] : ['reply'];
  if (mine && message.message_type === 'text') out.push('edit');
  if (message.content) out.push('copy');
  if (!readOnly) out.push(pinned ? 'unpin' : 'pin');
  out.push('forward', 'select', 'delete');
  return out;
}

/** Copies text; the async clipboard needs a secure context, the fallback does not. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}
