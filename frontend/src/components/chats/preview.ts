// What a chat's second line says: someone typing, my draft, or the last message
// (its text, or what kind of message it was).
import type { ChatListItem } from '../../api/types';

export interface Preview {
  kind: 'typing' | 'draft' | 'message' | 'empty';
  text: string;
}

type Translate = (key: string, named?: Record<string, unknown>) => string;

const TYPE_KEYS: Record<string, string> = {
  image: 'chatlist.preview.image',
  file: 'chatlist.preview.file',
  voice: 'chatlist.preview.voice',
  sticker: 'chatlist.preview.sticker',
};

export function messageKindLabel(type: string | undefined, t: Translate): string {
  return t(type && TYPE_KEYS[type] ? TYPE_KEYS[type] : 'chatlist.preview.attachment');
}

export function typingText(chat: Pick<ChatListItem, 'type'>, names: readonly string[], t: Translate): string {
  if (names.length === 0) return '';
  if (chat.type === 'direct') return t('chatlist.preview.typing');
  if (names.length === 1) return t('chatlist.preview.typingOne', { name: names[0] });
  return t('chatlist.preview.typingMany', { n: names.length });
}

export function previewOf(
  chat: Pick<ChatListItem, 'type' | 'last_message'>,
  context: { typing: readonly string[]; draft: string; lastType?: string; open: boolean },
  t: Translate,
): Preview {
  if (context.typing.length > 0) return { kind: 'typing', text: typingText(chat, context.typing, t) };
  if (context.draft.trim() !== '' && !context.open) return { kind: 'draft', text: context.draft.replace(/\s+/g, ' ').trim() };
  if (chat.last_message === null) return { kind: 'empty', text: t('chats.noMessages') };
  if (chat.last_message === '' || (context.lastType && context.lastType !== 'text')) {
    return { kind: 'message', text: messageKindLabel(context.lastType, t) };
  }
  return { kind: 'message', text: chat.last_message };
}
