// Browser scenarios of the message list: a long history (virtualised, scrolled both
// ways with a bounded DOM), jump to a message by URL, the unread divider and the
// "N new" pill, in-chat search with highlights. Controls found by role and label.
import assert from 'node:assert/strict';
import { seedMessages } from '../../bench/seed.mjs';
import { apiLogin, call, login } from '../lib.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */
/** @typedef {import('../lib.mjs').T} T */

const LONG = 2000;
/** The most message rows the list may hold in the DOM at once (a viewport plus its margins). */
const MAX_ROWS = 80;
const needle = (/** @type {number} */ i) => i % 400 === 0;

/** @type {Promise<{ chatId: number, ids: number[], bob: { token: string, id: number } }> | null} */
let longChat = null;

/** One 2 000-message group (bob writes, alice reads), seeded once for the scenarios that read it. */
function seedLongChat(/** @type {string} */ base) {
  longChat ??= (async () => {
    const bob = await apiLogin(base, 'bob');
    const alice = await apiLogin(base, 'alice');
    const group = await call(base, bob.token, 'POST', '/chats', { type: 'group', title: 'Long History', member_ids: [alice.id] });
    const started = Date.now();
    const ids = await seedMessages(base, bob.token, group.id, LONG, (i) => `long ${i}${needle(i) ? ' needle' : ''}`);
    console.log(`  seeded ${LONG} messages in ${Date.now() - started} ms`);
    // Read: the chat opens at its newest message (an unread chat opens at the divider).
    await call(base, alice.token, 'POST', `/chats/${group.id}/read`);
    return { chatId: group.id, ids, bob };
  })();
  return longChat;
}

/** The content of the message with the largest id (concurrent seeding does not keep i order). */
function newestLabel(/** @type {number[]} */ ids) {
  let best = 1;
  for (let i = 1; i < ids.length; i++) if ((ids[i] ?? 0) > (ids[best] ?? 0)) best = i;
  return `long ${best}${needle(best) ? ' needle' : ''}`;
}

/** @param {Locator} log */
const rowCount = (log) => log.getByRole('article').count();

/** Whether `text`'s message is inside the log's visible area. @param {Locator} log @param {string} text */
async function inView(log, text) {
  const found = log.getByText(text, { exact: true });
  if ((await found.count()) === 0) return false;
  const box = await log.boundingBox();
  const row = await found.boundingBox();
  return !!box && !!row && row.y >= box.y - 1 && row.y + row.height <= box.y + box.height + 1;
}

export const tests = [
  {
    name: 'a 2 000-message chat scrolls to the top and back with a bounded DOM, the view kept in place',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const { chatId, ids } = await seedLongChat(base);
      const alice = await newPage({ locale: 'en-US', viewport: { width: 1000, height: 720 } });
      await login(alice, 'alice', 'testpass');
      await alice.goto(`/c/${chatId}`);
      const log = alice.getByRole('log', { name: 'Messages' });
      await log.getByText(newestLabel(ids), { exact: true }).waitFor();
      assert.ok(await inView(log, newestLabel(ids)), 'opens at the newest message');
      assert.ok((await rowCount(log)) <= MAX_ROWS);

      // A page loading above keeps the message I look at where it was (the page is held
      // back until the position is measured).
      /** @type {() => void} */
      let release = () => undefined;
      const gate = new Promise((resolve) => (release = () => resolve(undefined)));
      await alice.route(/before=/, async (route) => {
        await gate;
        await route.continue();
      });
      const responded = alice.waitForResponse((r) => r.url().includes('before='));
      const anchor = await log.evaluate(async (el) => {
        el.scrollTop = 400;
        await new Promise((r) => setTimeout(r, 100));
        const top = el.getBoundingClientRect().top;
        const row = [...el.querySelectorAll('[data-message-id]')].find((r) => r.getBoundingClientRect().top >= top);
        return { id: row?.getAttribute('data-message-id'), y: row?.getBoundingClientRect().top ?? 0, rows: el.querySelectorAll('article').length };
      });
      release();
      await responded;
      await alice.unroute(/before=/);
      await alice.waitForTimeout(300);
      const after = await log.evaluate(
        (el, id) => el.querySelector(`[data-message-id="${id}"]`)?.getBoundingClientRect().top ?? null,
        anchor.id,
      );
      const seen = await log.evaluate((el) => ({
        scrollTop: el.scrollTop,
        first: [...el.querySelectorAll('[data-message-id]')].find((r) => r.getBoundingClientRect().top >= el.getBoundingClientRect().top)?.getAttribute('data-message-id'),
      }));
      assert.ok(
        after !== null && Math.abs(after - anchor.y) <= 4,
        `anchor ${anchor.id} moved from ${anchor.y} to ${after} (now at ${seen.scrollTop}, first row ${seen.first})`,
      );

      // All the way up, page by page, then back down; the DOM stays bounded throughout.
      let maxRows = 0;
      const top = log.getByText('This is the beginning of the chat.');
      for (let i = 0; i < 200 && !(await top.isVisible()); i++) {
        await log.evaluate((el) => el.scrollBy(0, -2500));
        await alice.waitForTimeout(60);
        maxRows = Math.max(maxRows, await rowCount(log));
      }
      await top.waitFor();
      await log.evaluate((el) => el.scrollTo(0, 0));
      const oldest = ids.indexOf(Math.min(...ids.slice(1)));
      await log.getByText(`long ${oldest}`, { exact: true }).waitFor();
      await shot(alice, 'history-top');
      for (let i = 0; i < 60 && !(await inView(log, newestLabel(ids)).catch(() => false)); i++) {
        await log.evaluate((el) => el.scrollBy(0, 4000));
        await alice.waitForTimeout(40);
        maxRows = Math.max(maxRows, await rowCount(log));
      }
      assert.ok(await inView(log, newestLabel(ids)), 'back at the newest message');
      console.log(`  at most ${maxRows} message rows in the DOM`);
      assert.ok(maxRows > 5 && maxRows <= MAX_ROWS, `rows in the DOM: ${maxRows}`);
      await shot(alice, 'history-bottom');
    },
  },
  {
    name: 'a message link /c/{id}/{msgId} loads the history around it, highlights it, and newer pages load below',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const { chatId, ids } = await seedLongChat(base);
      const alice = await newPage({ locale: 'en-US', viewport: { width: 1000, height: 720 } });
      /** @type {string[]} */
      const newer = [];
      alice.on('request', (r) => {
        if (r.url().includes('after_seq=')) newer.push(r.url());
      });
      await login(alice, 'alice', 'testpass');
      const target = 1850;
      await alice.goto(`/c/${chatId}/${ids[target]}`);
      const log = alice.getByRole('log', { name: 'Messages' });
      await log.getByText(`long ${target}`, { exact: true }).waitFor();
      const focused = log.locator('.focused', { hasText: `long ${target}` });
      await focused.waitFor();
      assert.ok(await inView(log, `long ${target}`), 'the message is in view');
      assert.equal(await log.getByText(newestLabel(ids), { exact: true }).count(), 0, 'the newest page is not loaded');
      await shot(alice, 'history-jump');

      // Down to the newest: pages after the window's last seq.
      for (let i = 0; i < 60 && !(await log.getByText(newestLabel(ids), { exact: true }).isVisible()); i++) {
        await log.evaluate((el) => el.scrollBy(0, 3000));
        await alice.waitForTimeout(80);
      }
      await log.getByText(newestLabel(ids), { exact: true }).waitFor();
      assert.ok(newer.length > 0, 'newer pages by after_seq');
      // The note shows only while a page is on its way; none is left waiting.
      await log.getByText('Loading newer messages…').waitFor({ state: 'detached' });

      // A link to a message that does not exist says so.
      await alice.goto(`/c/${chatId}/999999999`);
      await alice.getByRole('alert').getByText('This message is not available.').waitFor();
    },
  },
  {
    name: 'the unread divider sits at the first unread message; the "N new" pill counts arrivals while scrolled up',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const bob = await apiLogin(base, 'bob');
      const me = await apiLogin(base, 'alice');
      const group = await call(base, bob.token, 'POST', '/chats', { type: 'group', title: 'Unread Room', member_ids: [me.id] });
      for (let i = 1; i <= 30; i++) await call(base, bob.token, 'POST', `/chats/${group.id}/messages`, { content: `seen ${i}` });
      await call(base, me.token, 'POST', `/chats/${group.id}/read`);
      for (let i = 1; i <= 4; i++) await call(base, bob.token, 'POST', `/chats/${group.id}/messages`, { content: `fresh ${i}` });

      const alice = await newPage({ locale: 'en-US', viewport: { width: 1000, height: 720 }, colorScheme: 'dark' });
      await login(alice, 'alice', 'testpass');
      const list = alice.getByRole('navigation', { name: 'Chat list' });
      await list.getByRole('link', { name: /Unread Room/ }).getByLabel('4 unread').waitFor();
      await list.getByRole('link', { name: /Unread Room/ }).click();
      const log = alice.getByRole('log', { name: 'Messages' });
      const divider = log.getByRole('separator', { name: 'Unread messages' });
      await divider.waitFor();
      const next = await divider.evaluate((el) => el.parentElement?.querySelector('article')?.textContent ?? '');
      assert.match(next, /fresh 1\b/, 'the divider precedes the first unread message');
      await shot(alice, 'history-unread');
      // The day's separator opens the day, above the first message (which may be
      // out of the virtual window while the divider is in view).
      await log.evaluate((el) => el.scrollTo(0, 0));
      await log.getByRole('separator', { name: 'Today' }).waitFor();

      // At the bottom, a new message is followed.
      await log.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await call(base, bob.token, 'POST', `/chats/${group.id}/messages`, { content: 'followed' });
      await log.getByText('followed').waitFor();
      await alice.waitForTimeout(300);
      assert.ok(await inView(log, 'followed'), 'stuck to the bottom');
      assert.equal(await alice.getByRole('button', { name: /new messages/ }).count(), 0);

      // Scrolled up, arrivals are counted instead.
      await log.evaluate((el) => el.scrollTo(0, 0));
      await alice.waitForTimeout(200);
      await call(base, bob.token, 'POST', `/chats/${group.id}/messages`, { content: 'away 1' });
      await call(base, bob.token, 'POST', `/chats/${group.id}/messages`, { content: 'away 2' });
      const pill = alice.getByRole('button', { name: '2 new messages, go to the newest' });
      await pill.waitFor();
      assert.ok(!(await inView(log, 'seen 30')), 'still scrolled up');
      await shot(alice, 'history-new-pill');
      await pill.click();
      await pill.waitFor({ state: 'detached' });
      await alice.waitForTimeout(300);
      assert.ok(await inView(log, 'away 2'), 'the pill goes to the newest');
    },
  },
  {
    name: 'in-chat search lists matches with the query highlighted; ↑/↓ jump through them',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const { chatId, ids } = await seedLongChat(base);
      const alice = await newPage({ locale: 'en-US', viewport: { width: 1000, height: 720 } });
      await login(alice, 'alice', 'testpass');
      await alice.goto(`/c/${chatId}`);
      const log = alice.getByRole('log', { name: 'Messages' });
      await log.getByText(newestLabel(ids), { exact: true }).waitFor();

      const open = alice.getByRole('button', { name: 'Search in chat' });
      await open.click();
      const field = alice.getByRole('searchbox', { name: 'Search messages' });
      assert.ok(await field.evaluate((el) => el === el.ownerDocument.activeElement), 'focus moves into the field');
      await field.fill('needle');
      const results = alice.getByRole('list', { name: 'Search results' });
      await results.getByRole('button').first().waitFor();
      // Newest first (§9.5): 2000, 1600, 1200, 800, 400.
      assert.equal(await results.getByRole('button').count(), 5);
      assert.equal(await results.locator('mark').first().innerText(), 'needle');
      await shot(alice, 'history-search-results');

      await results.getByRole('button', { name: /long 1600 needle/ }).click();
      await log.locator('.focused', { hasText: 'long 1600 needle' }).waitFor();
      await alice.getByRole('button', { name: 'Search results: 2 of 5' }).waitFor();
      const highlighted = await alice.evaluate(() => {
        const registry = /** @type {any} */ (globalThis).CSS.highlights;
        return registry?.get('chat-search')?.size ?? 0;
      });
      assert.ok(highlighted >= 1, 'the query is highlighted in the messages');
      await shot(alice, 'history-search-jump');

      // ↑ older (not loaded: the history around it loads), ↓ newer.
      await alice.getByRole('button', { name: 'Older result' }).click();
      await log.locator('.focused', { hasText: 'long 1200 needle' }).waitFor();
      assert.ok(await inView(log, 'long 1200 needle'));
      await alice.getByRole('button', { name: 'Newer result' }).click();
      await log.locator('.focused', { hasText: 'long 1600 needle' }).waitFor();
      await field.press('Enter');
      await log.locator('.focused', { hasText: 'long 1200 needle' }).waitFor();

      // Esc closes the search, the highlight goes, focus returns to the button.
      await field.press('Escape');
      await field.waitFor({ state: 'detached' });
      assert.ok(await open.evaluate((el) => el === el.ownerDocument.activeElement), 'focus back on the search button');
      const left = await alice.evaluate(() => /** @type {any} */ (globalThis).CSS.highlights?.get('chat-search')?.size ?? 0);
      assert.equal(left, 0);

      // At 360 px the search bar still fits: field, position, ↑, ↓, close.
      await alice.setViewportSize({ width: 360, height: 740 });
      await open.click();
      await field.fill('needle');
      await field.press('Enter');
      await log.locator('.focused', { hasText: 'long 2000 needle' }).waitFor();
      const close = await alice.getByRole('button', { name: 'Close search' }).boundingBox();
      assert.ok(close && close.x + close.width <= 360, 'the close button is on screen');
      await shot(alice, 'history-search-360');
    },
  },
];
