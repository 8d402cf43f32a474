// Browser scenarios of the chat list, live and by keyboard: typing and presence between
// alice and bob, the Ctrl+K switcher and Alt+arrows, the tab title, notifications of a
// hidden tab, and the menu by long press at 360 px.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { apiLogin, call, login } from '../lib.mjs';
import { chatList, desktop, entry, menu } from './chatlist.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('../lib.mjs').T} T */

/** A typing frame from a second, away connection of the user (the composer sends these in the app). */
async function typeFrom(/** @type {Page} */ page, /** @type {string} */ token, /** @type {number} */ chatId) {
  await page.evaluate(
    ([token, chatId]) =>
      new Promise((resolve, reject) => {
        const w = /** @type {any} */ (globalThis);
        const ws = new w.WebSocket(`${w.location.origin.replace(/^http/, 'ws')}/ws`);
        ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token, active: false }));
        ws.onmessage = (/** @type {{ data: string }} */ ev) => {
          const frame = JSON.parse(ev.data);
          if (frame.type === 'auth_ok') ws.send(JSON.stringify({ type: 'subscribe', chat_id: chatId }));
          if (frame.type === 'subscribed') {
            ws.send(JSON.stringify({ type: 'typing', chat_id: chatId }));
            setTimeout(() => {
              ws.close();
              resolve(null);
            }, 300);
          }
          if (frame.type === 'error') reject(new Error(frame.message));
        };
      }),
    [token, chatId],
  );
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious or critical axe-core violations on the page as it is (run by CDP: the CSP does not apply). */
async function axeProblems(/** @type {Page} */ page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => /** @type {any} */ (globalThis).axe.run(/** @type {any} */ (globalThis).document));
  return result.violations
    .filter((/** @type {any} */ v) => v.impact === 'serious' || v.impact === 'critical')
    .map((/** @type {any} */ v) => `${v.id}: ${v.nodes.map((/** @type {any} */ n) => n.target.join(' ')).join(', ')}`);
}

export const tests = [
  {
    name: 'chatlist: the list, its menu, the new-chat dialog and the switcher pass axe-core (light and dark)',
    /** @param {T} t */
    async run({ newPage, shot }) {
      for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
        const alice = await newPage({ ...desktop, colorScheme });
        await login(alice, 'alice', 'testpass');
        await entry(alice, /Dev Team/).waitFor();
        assert.deepEqual(await axeProblems(alice), [], `list (${colorScheme})`);
        await alice.getByRole('button', { name: /More actions for Dev Team/ }).click();
        await menu(alice).getByRole('menuitem', { name: 'Delete chat' }).waitFor();
        assert.deepEqual(await axeProblems(alice), [], `menu (${colorScheme})`);
        await shot(alice, `chatlist-menu-${colorScheme}`);
        await alice.keyboard.press('Escape');
        await alice.getByRole('button', { name: 'New chat' }).click();
        await alice.getByRole('dialog', { name: 'New chat' }).getByRole('button', { name: /Bob/ }).waitFor();
        assert.deepEqual(await axeProblems(alice), [], `new chat (${colorScheme})`);
        await alice.keyboard.press('Escape');
        await alice.keyboard.press('Control+k');
        await alice.getByRole('dialog', { name: 'Switch to a chat' }).waitFor();
        assert.deepEqual(await axeProblems(alice), [], `switcher (${colorScheme})`);
      }
    },
  },
  {
    name: 'chatlist: typing shows live to the other user and ends; presence online and last seen',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const me = await apiLogin(base, 'alice');
      const bob = await apiLogin(base, 'bob');
      const direct = await call(base, bob.token, 'POST', '/chats', { type: 'direct', member_ids: [me.id] });
      const alice = await newPage(desktop);
      const bobContextPage = await newPage({ locale: 'en-US', viewport: { width: 800, height: 700 } });
      await login(bobContextPage, 'bob', 'testpass');
      await login(alice, 'alice', 'testpass');

      // Bob is online: a dot in alice's list, "online" in the header.
      await entry(alice, /Bob/).getByRole('img', { name: 'Online' }).waitFor();
      await entry(alice, /Bob/).click();
      const header = alice.locator('header.bar');
      await header.getByText('online', { exact: true }).waitFor();
      // Alice is online for bob too (she came after him: a live presence frame).
      await entry(bobContextPage, /Alice/).getByRole('img', { name: 'Online' }).waitFor();

      // Bob types: alice sees "typing…" in the header and in bob's line; it ends by itself.
      await entry(alice, 'Dev Team').waitFor();
      await typeFrom(bobContextPage, bob.token, direct.id);
      await header.getByText('typing…').waitFor();
      await entry(alice, /Bob/).getByText('typing…').waitFor();
      await shot(alice, 'chatlist-typing');
      await header.getByText('typing…').waitFor({ state: 'detached', timeout: 8000 });
      await header.getByText('online', { exact: true }).waitFor();

      // In a group the name shows in the list.
      const devTeam = (await call(base, me.token, 'GET', '/chats')).find((/** @type {any} */ c) => c.name === 'Dev Team');
      await typeFrom(bobContextPage, bob.token, devTeam.id);
      await entry(alice, /Dev Team/).getByText(/bob is typing…/i).waitFor();

      // Bob hides his tab: away after the grace, so offline for alice; shown again: online.
      const setHidden = (/** @type {boolean} */ hidden) =>
        bobContextPage.evaluate((hidden) => {
          const g = /** @type {any} */ (globalThis);
          Object.defineProperty(g.document, 'hidden', { configurable: true, get: () => hidden });
          g.document.dispatchEvent(new g.Event('visibilitychange'));
        }, hidden);
      await setHidden(true);
      await header.getByText(/^last seen /).waitFor({ timeout: 15_000 });
      await setHidden(false);
      await header.getByText('online', { exact: true }).waitFor();
      await entry(alice, /Bob/).getByRole('img', { name: 'Online' }).waitFor();

      // Bob leaves: within the offline debounce alice sees "last seen …" and no dot.
      await bobContextPage.context().close();
      await header.getByText(/^last seen /).waitFor({ timeout: 12_000 });
      await entry(alice, /Bob/).getByRole('img', { name: 'Online' }).waitFor({ state: 'detached' });
      await shot(alice, 'chatlist-last-seen');
    },
  },
  {
    name: 'chatlist: Ctrl+K switcher and Alt+arrows by keyboard only; the tab title counts unread',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const me = await apiLogin(base, 'alice');
      const bob = await apiLogin(base, 'bob');
      const tag = Date.now() % 100000;
      const quiet = await call(base, bob.token, 'POST', '/chats', { type: 'group', title: `Quiet ${tag}`, member_ids: [me.id] });
      const alice = await newPage(desktop);
      await login(alice, 'alice', 'testpass');

      await alice.keyboard.press('Control+k');
      const switcher = alice.getByRole('dialog', { name: 'Switch to a chat' });
      await switcher.waitFor();
      await alice.keyboard.type('dev');
      await switcher.getByRole('option', { name: /Dev Team/, selected: true }).waitFor();
      await shot(alice, 'chatlist-switcher');
      await alice.keyboard.press('Enter');
      await switcher.waitFor({ state: 'detached' });
      await alice.getByRole('heading', { name: 'Dev Team' }).waitFor();
      const devUrl = alice.url();

      // Arrows choose among matches; Esc closes without moving.
      await alice.keyboard.press('Control+k');
      await alice.keyboard.type(`quiet ${tag}`);
      await alice.keyboard.press('ArrowDown');
      await alice.keyboard.press('Enter');
      await alice.getByRole('heading', { name: `Quiet ${tag}` }).waitFor();
      await alice.keyboard.press('Control+k');
      await switcher.waitFor();
      await alice.keyboard.press('Escape');
      await switcher.waitFor({ state: 'detached' });
      assert.match(alice.url(), new RegExp(`/c/${quiet.id}$`));

      // Alt+↓ / Alt+↑ follow the list's order.
      const order = await chatList(alice).getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      const at = order.indexOf(`/c/${quiet.id}`);
      assert.ok(at >= 0, order.join(' '));
      await alice.keyboard.press('Alt+ArrowDown');
      if (at + 1 < order.length) await alice.waitForURL(`**${order[at + 1]}`);
      await alice.keyboard.press('Alt+ArrowUp');
      await alice.waitForURL(`**/c/${quiet.id}`);
      assert.notEqual(devUrl, alice.url());

      // The tab title: "(n) Chorus", one more for each new message elsewhere.
      const count = async () => Number((/^\((\d+)\) Chorus$/.exec(await alice.title()) ?? [0, 0])[1]);
      const before = await count();
      await call(base, bob.token, 'POST', `/chats/${devTeamId(await call(base, me.token, 'GET', '/chats'))}/messages`, { content: 'title?' });
      await alice.waitForFunction((n) => /** @type {any} */ (globalThis).document.title === `(${n}) Chorus`, before + 1);
      await entry(alice, /Dev Team/).click();
      await alice.waitForFunction((n) => /** @type {any} */ (globalThis).document.title === (n > 0 ? `(${n}) Chorus` : 'Chorus'), before);
      await call(base, me.token, 'DELETE', `/chats/${quiet.id}/leave`).catch(() => undefined);
    },
  },
  {
    name: 'chatlist: a hidden tab notifies of a new message; clicking it opens the chat',
    /** @param {T} t */
    async run({ newPage, base }) {
      const me = await apiLogin(base, 'alice');
      const bob = await apiLogin(base, 'bob');
      const group = await call(base, bob.token, 'POST', '/chats', { type: 'group', title: `Ping ${Date.now() % 100000}`, member_ids: [me.id] });
      const alice = await newPage(desktop);
      // Headless Chromium never hides a tab nor shows notifications: both are stood in for.
      await alice.addInitScript(() => {
        const w = /** @type {any} */ (globalThis);
        w.__hidden = false;
        Object.defineProperty(w.document, 'hidden', { get: () => w.__hidden });
        /** @type {any[]} */
        const shown = [];
        w.__shown = shown;
        class FakeNotification {
          static permission = 'default';
          static requestPermission() {
            FakeNotification.permission = 'granted';
            return Promise.resolve('granted');
          }
          /** @param {string} title @param {{ body: string }} options */
          constructor(title, options) {
            this.title = title;
            this.body = options.body;
            /** @type {null | (() => void)} */
            this.onclick = null;
            shown.push(this);
          }
          close() {}
        }
        Object.defineProperty(w, 'Notification', { value: FakeNotification });
      });
      await login(alice, 'alice', 'testpass');
      await alice.getByRole('button', { name: 'Turn on' }).click();
      await alice.getByRole('button', { name: 'Turn on' }).waitFor({ state: 'detached' });

      await call(base, bob.token, 'POST', `/chats/${group.id}/messages`, { content: 'visible: no notification' });
      await entry(alice, group.title).getByText('visible: no notification').waitFor();
      await alice.evaluate(() => {
        /** @type {any} */ (globalThis).__hidden = true;
      });
      await call(base, bob.token, 'POST', `/chats/${group.id}/messages`, { content: 'are you there?' });
      await alice.waitForFunction(() => /** @type {any} */ (globalThis).__shown.length === 1);
      const shown = await alice.evaluate(() => /** @type {any} */ (globalThis).__shown.map((/** @type {any} */ n) => ({ title: n.title, body: n.body })));
      assert.deepEqual(shown, [{ title: group.title, body: 'are you there?' }]);
      await alice.evaluate(() => /** @type {any} */ (globalThis).__shown[0].onclick());
      await alice.waitForURL(`**/c/${group.id}`);
      await call(base, me.token, 'DELETE', `/chats/${group.id}/leave`);
    },
  },
  {
    name: 'chatlist: at 360 px a long press opens the menu',
    /** @param {T} t */
    async run({ newPage, shot }) {
      const alice = await newPage({ locale: 'en-US', viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
      await login(alice, 'alice', 'testpass');
      await shot(alice, 'chatlist-360');
      const line = entry(alice, /Dev Team/);
      const box = await line.boundingBox();
      assert.ok(box);
      const point = { pointerType: 'touch', isPrimary: true, clientX: box.x + 40, clientY: box.y + box.height / 2, bubbles: true };
      await line.dispatchEvent('pointerdown', point);
      await alice.waitForTimeout(700);
      await line.dispatchEvent('pointerup', point);
      await menu(alice).getByRole('menuitem', { name: 'Pin', exact: true }).waitFor();
      await shot(alice, 'chatlist-360-menu');
      await alice.keyboard.press('Escape');
      await menu(alice).waitFor({ state: 'detached' });
      // The whole menu fits the screen.
      await alice.getByRole('button', { name: 'Main menu' }).click();
      const rect = await menu(alice).boundingBox();
      assert.ok(rect && rect.x >= 0 && rect.x + rect.width <= 360, JSON.stringify(rect));
    },
  },
];

/** @param {any[]} chats */
function devTeamId(chats) {
  return chats.find((c) => c.name === 'Dev Team').id;
}
