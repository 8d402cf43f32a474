// Message bodies: safe links, images (not empty bubbles), files, voice, stickers,
// and the pending / failed state of my own messages.
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../src/api/types';
import MessageContent from '../src/components/chat/MessageContent.vue';
import { makeI18n } from '../src/i18n';
import type { ChatItem } from '../src/stores/messages';
import { clock, fileSize, linkify } from '../src/utils/linkify';

const global = { plugins: [makeI18n('en')] };

function message(extra: Partial<ChatItem>): ChatItem {
  return { id: 1, chat_id: 1, sender_id: 2, content: '', message_type: 'text', created_at: '2026-03-01 10:00:00+00', ...extra } as ChatItem;
}

beforeEach(() => setActivePinia(createPinia()));

describe('linkify', () => {
  it('makes http(s) links of URLs in text, leaving sentence punctuation out', () => {
    expect(linkify('see https://example.org/a?b=1, and (http://x.io/wiki/Foo_(bar)).')).toEqual([
      { text: 'see ' },
      { text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { text: ', and (' },
      { text: 'http://x.io/wiki/Foo_(bar)', href: 'http://x.io/wiki/Foo_(bar)' },
      { text: ').' },
    ]);
    expect(linkify('www.example.com!')).toEqual([{ text: 'www.example.com', href: 'https://www.example.com/' }, { text: '!' }]);
  });

  it('never links other schemes', () => {
    expect(linkify('javascript:alert(1) data:text/html,<b>x</b> ftp://a.b')).toEqual([{ text: 'javascript:alert(1) data:text/html,<b>x</b> ftp://a.b' }]);
  });

  it('formats sizes and clocks', () => {
    expect(fileSize(1536)).toBe('1.5 KB');
    expect(fileSize(20 * 1024 * 1024)).toBe('20 MB');
    expect(clock(75)).toBe('1:15');
    expect(clock(Number.POSITIVE_INFINITY)).toBe('0:00');
  });
});

describe('a message body', () => {
  it('renders links as real, safe <a> elements and markup as text', () => {
    const w = mount(MessageContent, { props: { message: message({ content: '<b>hi</b> https://example.org javascript:alert(1)' }) }, global });
    const links = w.findAll('a');
    expect(links).toHaveLength(1);
    expect(links[0]?.attributes()).toMatchObject({ href: 'https://example.org/', target: '_blank', rel: 'noopener noreferrer' });
    expect(w.find('b').exists()).toBe(false);
    expect(w.text()).toContain('<b>hi</b>');
  });

  it('shows an image message as an image that opens a lightbox (Esc closes, focus returns)', async () => {
    const w = mount(MessageContent, {
      props: { message: message({ message_type: 'image', attachment_url: 'http://s3/p.png', attachment_filename: 'p.png', attachment_mime_type: 'image/png', content: 'look' }) },
      global,
      attachTo: document.body,
    });
    const opener = w.get('button[aria-label="Open image p.png"]');
    expect(opener.get('img').attributes('src')).toBe('http://s3/p.png');
    await opener.trigger('click');
    const dialog = document.querySelector('[role="dialog"][aria-label="Image viewer"]');
    expect(dialog?.querySelector('img')?.getAttribute('src')).toBe('http://s3/p.png');
    await new Promise((r) => setTimeout(r, 0));
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Close image');
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await new Promise((r) => setTimeout(r, 0));
    expect(document.querySelector('[role="dialog"]')).toBeNull();
    expect(document.activeElement).toBe(opener.element);
    w.unmount();
  });

  it('shows a file with a download link, a voice player and a sticker image', () => {
    const file = mount(MessageContent, { props: { message: message({ message_type: 'file', attachment_url: 'http://s3/r.pdf', attachment_filename: 'r.pdf', attachment_mime_type: 'application/pdf' }) }, global });
    expect(file.get('a[aria-label="Download r.pdf"]').attributes('href')).toBe('http://s3/r.pdf');
    const voice = mount(MessageContent, { props: { message: message({ message_type: 'voice', attachment_url: 'http://s3/v.webm', duration_seconds: 7 } as Partial<Message>) }, global });
    expect(voice.find('button[aria-label="Play voice message"]').exists()).toBe(true);
    expect(voice.find('input[type="range"][aria-label="Position in voice message"]').exists()).toBe(true);
    expect(voice.text()).toContain('0:07');
    const video = mount(MessageContent, { props: { message: message({ message_type: 'file', attachment_url: 'http://s3/c.mp4', attachment_filename: 'c.mp4', attachment_mime_type: 'video/mp4' }) }, global });
    expect(video.get('video[aria-label="c.mp4"]').attributes('src')).toBe('http://s3/c.mp4');
    const sticker = mount(MessageContent, { props: { message: message({ message_type: 'sticker', sticker_url: 'http://s3/s.svg', sticker_label: 'thumbs up' }) }, global });
    expect(sticker.get('img').attributes()).toMatchObject({ src: 'http://s3/s.svg', alt: 'Sticker: thumbs up' });
  });

  it('says how my pending message is doing, with Retry and Delete when it failed', () => {
    const sending = mount(MessageContent, { props: { message: message({ id: -1, content: 'x', local: { state: 'sending', clientMsgId: 'a' } }) }, global });
    expect(sending.text()).toContain('Sending…');
    const failed = mount(MessageContent, { props: { message: message({ id: -2, content: 'x', local: { state: 'failed', clientMsgId: 'b', error: 'Message too long' } }) }, global });
    expect(failed.get('[role="alert"]').text()).toContain('Not sent: Message too long');
    expect(failed.findAll('button').map((b) => b.text())).toEqual(['Retry', 'Delete']);
  });
});
