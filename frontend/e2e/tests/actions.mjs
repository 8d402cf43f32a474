// Browser scenarios: what people do with messages (reply, edit, delete, pin,
// forward, react, select), each seen live by the other person.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { apiLogin, call, login } from '../lib.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core on this area's part of the screen (`scope`): no serious or critical violations. */
async function axeCheck(/** @type {Page} */ page, /** @type {string} */ what, scope = 'main') {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async (selector) => {
    const axe = /** @type {any} */ (globalThis).axe;
    const result = await axe.run({ include: [[selector]] }, { resultTypes: ['violations'] });
    return result.violations
      .filter((/** @type {any} */ v) => v.impact === 'serious' || v.impact === 'critical')
      .map((/** @type {any} */ v) => `${v.id}: ${v.nodes.map((/** @type {any} */ n) => n.target.join(' ')).join(', ')}`);
  }, scope);
  assert.deepEqual(violations, [], `axe (${what})`);
}

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */
/** @typedef {import('../lib.mjs').T} T */

/** A group of alice and bob made for one scenario, with messages in it. */
async function groupWith(/** @type {string} */ base, /** @type {string} */ title) {
  const alice = await apiLogin(base, 'alice');
  const bob = await apiLogin(base, 'bob');
  const group = await call(base, alice.token, 'POST', '/chats', { type: 'group', title, member_ids: [bob.id] });
  return { alice, bob, group };
}

/** Opens a chat from the list and returns its message log. */
async function open(/** @type {Page} */ page, /** @type {string} */ title) {
  await page.getByRole('navigation', { name: 'Chat list' }).getByRole('link', { name: new RegExp(title) }).click();
  const log = page.getByRole('log', { name: 'Messages' });
  await log.waitFor();
  return log;
}

/** The bubble holding a text (not the bubbles that merely quote it in a reply). */
function bubble(/** @type {Locator} */ log, /** @type {string} */ text) {
  const quoting = log.page().getByRole('button', { name: /^Reply to / }).filter({ hasText: text });
  return log.getByRole('article').filter({ hasText: text }).filter({ hasNot: quoting });
}

/** The accessible name (or text) of the focused element. */
async function focused(/** @type {Page} */ page) {
  const el = page.locator(':focus');
  return (await el.getAttribute('aria-label')) ?? (await el.innerText()).trim();
}

/** A touch long-press (the bottom sheet), through the DevTools protocol. */
async function longPress(/** @type {Page} */ page, /** @type {Locator} */ target) {
  const box = await target.boundingBox();
  assert.ok(box);
  const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
  await page.waitForTimeout(700);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

export const tests = [
  {
    name: 'reply, react, edit and pin are seen live by the other; the menu works by mouse and keyboard',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const title = `Actions ${Date.now()}`;
      const { alice: a, bob: b, group } = await groupWith(base, title);
      const question = await call(base, b.token, 'POST', `/chats/${group.id}/messages`, { content: 'Shall we ship on Friday?' });
      const alice = await newPage({ locale: 'en-US', viewport: { width: 1100, height: 720 } });
      const bob = await newPage({ locale: 'en-US', viewport: { width: 900, height: 720 } });
      await login(alice, 'alice', 'testpass');
      await login(bob, 'bob', 'testpass');
      const aliceLog = await open(alice, title);
      const bobLog = await open(bob, title);

      // Right-click opens the menu; bob's message offers no "Edit" to alice.
      await bubble(aliceLog, 'Shall we ship').click({ button: 'right' });
      const menu = alice.getByRole('menu', { name: 'Message actions' });
      await menu.waitFor();
      for (const item of ['Reply', 'Copy text', 'Pin', 'Forward', 'Select', 'Delete', 'React with 👍']) {
        await menu.getByRole('menuitem', { name: item, exact: true }).waitFor();
      }
      assert.equal(await menu.getByRole('menuitem', { name: 'Edit' }).count(), 0, 'no Edit on somebody else\'s message');
      await shot(alice, 'actions-context-menu');
      await axeCheck(alice, 'context menu', '[role="menu"]');
      await alice.keyboard.press('Escape');
      await menu.waitFor({ state: 'detached' });

      // Keyboard: the visible "More" button opens it, focus moves in, arrows walk, Esc returns focus.
      const more = bubble(aliceLog, 'Shall we ship').getByRole('button', { name: 'More actions' });
      await more.focus();
      await alice.keyboard.press('Enter');
      await menu.waitFor();
      assert.equal(await focused(alice), 'React with 👍');
      await alice.keyboard.press('ArrowUp');
      assert.equal(await focused(alice), 'Delete');
      await alice.keyboard.press('Escape');
      await menu.waitFor({ state: 'detached' });
      assert.equal(await focused(alice), 'More actions');

      // React by keyboard: 👍 counts once for alice (answer + echo), and bob sees it live.
      await alice.keyboard.press('Enter');
      await menu.waitFor();
      await alice.keyboard.press('Enter');
      const aliceChip = bubble(aliceLog, 'Shall we ship').getByRole('button', { name: '👍 1' });
      await aliceChip.waitFor();
      assert.equal(await aliceChip.getAttribute('aria-pressed'), 'true');
      const bobChip = bubble(bobLog, 'Shall we ship').getByRole('button', { name: /^👍/ });
      await bobChip.waitFor();
      assert.equal(await bobChip.getAttribute('aria-label'), '👍 1');
      assert.equal(await bobChip.getAttribute('aria-pressed'), 'false');
      await alice.waitForTimeout(500);
      assert.equal(await aliceChip.count(), 1, 'still one after the echo');
      // Bob adds his: 2 on both sides; alice takes hers back: 1.
      await bobChip.click();
      await bubble(aliceLog, 'Shall we ship').getByRole('button', { name: '👍 2' }).waitFor();
      await bubble(bobLog, 'Shall we ship').getByRole('button', { name: '👍 2', pressed: true }).waitFor();
      await bubble(aliceLog, 'Shall we ship').getByRole('button', { name: '👍 2' }).click();
      await bubble(bobLog, 'Shall we ship').getByRole('button', { name: '👍 1', pressed: true }).waitFor();
      await bubble(aliceLog, 'Shall we ship').getByRole('button', { name: '👍 1', pressed: false }).waitFor();

      // Reply: the menu hands over to the composer; the reply shows its quote on both sides.
      await bubble(aliceLog, 'Shall we ship').click({ button: 'right' });
      await menu.getByRole('menuitem', { name: 'Reply' }).click();
      assert.equal(await focused(alice), 'Message');
      const reply = await call(base, a.token, 'POST', `/chats/${group.id}/messages`, {
        content: 'Yes, Friday it is',
        reply_to_message_id: question.id,
      });
      const quote = bubble(bobLog, 'Friday it is').getByRole('button', { name: /^Reply to Bob\W+Shall we ship on Friday\?$/ });
      await quote.waitFor();
      await quote.click();
      await bob.waitForURL(`**/c/${group.id}/${question.id}`);
      await bubble(aliceLog, 'Friday it is').getByRole('button', { name: /^Reply to Bob/ }).waitFor();

      // Edit: only on my own text; the new text and "edited" reach bob live.
      await bubble(aliceLog, 'Friday it is').click({ button: 'right' });
      await menu.getByRole('menuitem', { name: 'Edit' }).click();
      await call(base, a.token, 'PUT', `/chats/${group.id}/messages/${reply.id}`, { content: 'Yes, Friday at noon' });
      await bubble(bobLog, 'Friday at noon').getByText('edited').waitFor();
      await bubble(aliceLog, 'Friday at noon').getByText('edited').waitFor();
      await bob.getByRole('navigation', { name: 'Chat list' }).getByText('Yes, Friday at noon').waitFor();

      // Pin: a bar at the top of both chats; bob unpins it, alice sees it go.
      await bubble(aliceLog, 'Shall we ship').click({ button: 'right' });
      await menu.getByRole('menuitem', { name: 'Pin' }).click();
      const aliceBar = alice.getByRole('region', { name: 'Pinned message' });
      await aliceBar.getByText('Shall we ship on Friday?').waitFor();
      const bobBar = bob.getByRole('region', { name: 'Pinned message' });
      await bobBar.getByText('Shall we ship on Friday?').waitFor();
      await alice.getByRole('status').getByText('Message pinned.').waitFor();
      await shot(alice, 'actions-chat');
      await axeCheck(alice, 'chat with reactions, reply and pin bar');
      await aliceBar.getByRole('button', { name: /^Pinned message\W+Shall we ship/ }).click();
      await alice.waitForURL(`**/c/${group.id}/${question.id}`);
      await bobBar.getByRole('button', { name: 'Unpin message' }).click();
      await aliceBar.waitFor({ state: 'detached' });
      // A reload loads the current pin (none now) and the reactions again.
      await alice.reload();
      await bubble(aliceLog, 'Shall we ship').getByRole('button', { name: '👍 1' }).waitFor();
      assert.equal(await aliceBar.count(), 0);
    },
  },
  {
    name: 'read ticks, delete for everyone live, and the long-press sheet at 360 px',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const title = `Deletes ${Date.now()}`;
      const { alice: a, bob: b, group } = await groupWith(base, title);
      await call(base, b.token, 'POST', `/chats/${group.id}/messages`, { content: 'bob was here' });
      const alice = await newPage({ locale: 'en-US', viewport: { width: 1000, height: 700 } });
      const bob = await newPage({ locale: 'en-US', viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
      await login(alice, 'alice', 'testpass');
      await login(bob, 'bob', 'testpass');
      const aliceLog = await open(alice, title);

      // ✓ when sent, ✓✓ once bob (who has the chat open) has read it.
      await alice.getByRole('textbox', { name: 'Message' }).fill('please delete me');
      await alice.getByRole('textbox', { name: 'Message' }).press('Enter');
      await bubble(aliceLog, 'please delete me').getByRole('img', { name: 'Sent' }).waitFor();
      const bobLog = await open(bob, title);
      await bubble(bobLog, 'please delete me').waitFor();
      await bubble(aliceLog, 'please delete me').getByRole('img', { name: 'Read' }).waitFor();
      assert.equal(await bubble(bobLog, 'please delete me').getByRole('img').count(), 0, 'no ticks on others\' messages');
      await bubble(bobLog, 'bob was here').getByRole('img', { name: 'Read' }).waitFor();

      // Long-press on touch opens the bottom sheet; bob may only delete alice's message for himself.
      await longPress(bob, bubble(bobLog, 'please delete me'));
      const sheet = bob.getByRole('menu', { name: 'Message actions' });
      await sheet.waitFor();
      await shot(bob, 'actions-sheet-360');
      await axeCheck(bob, 'bottom sheet', '[role="menu"]');
      await sheet.getByRole('menuitem', { name: 'Delete' }).click();
      const bobDialog = bob.getByRole('dialog', { name: 'Delete the message?' });
      await bobDialog.waitFor();
      await bobDialog.getByRole('button', { name: 'Delete for me' }).waitFor();
      await axeCheck(bob, 'delete dialog', '[role="dialog"]');
      assert.equal(await bobDialog.getByRole('button', { name: 'Delete for everyone' }).count(), 0);
      await bob.keyboard.press('Escape');
      await bobDialog.waitFor({ state: 'detached' });

      // Alice deletes hers for everyone: gone for bob at once.
      await bubble(aliceLog, 'please delete me').click({ button: 'right' });
      await alice.getByRole('menu', { name: 'Message actions' }).getByRole('menuitem', { name: 'Delete' }).click();
      const dialog = alice.getByRole('dialog', { name: 'Delete the message?' });
      await dialog.getByRole('button', { name: 'Delete for everyone' }).click();
      await bubble(bobLog, 'please delete me').waitFor({ state: 'detached' });
      await bubble(aliceLog, 'please delete me').waitFor({ state: 'detached' });

      // As the group's owner alice may delete bob's message for everyone too.
      await bubble(aliceLog, 'bob was here').click({ button: 'right' });
      await alice.getByRole('menu', { name: 'Message actions' }).getByRole('menuitem', { name: 'Delete' }).click();
      await dialog.getByRole('button', { name: 'Delete for everyone' }).waitFor();
      await dialog.getByRole('button', { name: 'Delete for me' }).click();
      await bubble(aliceLog, 'bob was here').waitFor({ state: 'detached' });
      await alice.waitForTimeout(300);
      assert.equal(await bubble(bobLog, 'bob was here').count(), 1, 'deleted for alice only');

      // With read receipts off, alice sees no ticks at all.
      await call(base, a.token, 'PUT', '/settings', { read_receipts_enabled: false });
      await call(base, a.token, 'POST', `/chats/${group.id}/messages`, { content: 'quiet now' });
      await alice.reload();
      await bubble(aliceLog, 'quiet now').waitFor();
      await alice.waitForTimeout(300);
      assert.equal(await bubble(aliceLog, 'quiet now').getByRole('img').count(), 0);
      await call(base, a.token, 'PUT', '/settings', { read_receipts_enabled: true });
    },
  },
  {
    name: 'forward to several chats with attribution; selection mode forwards several',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const stamp = Date.now();
      const { alice: a, bob: b, group } = await groupWith(base, `Source ${stamp}`);
      const targetA = await call(base, a.token, 'POST', '/chats', { type: 'group', title: `Target A ${stamp}`, member_ids: [b.id] });
      await call(base, a.token, 'POST', '/chats', { type: 'group', title: `Target B ${stamp}`, member_ids: [b.id] });
      for (const content of ['first note', 'second note', 'third note']) {
        await call(base, b.token, 'POST', `/chats/${group.id}/messages`, { content });
      }
      await call(base, a.token, 'POST', `/chats/${targetA.id}/messages`, { content: 'target a opened' });
      const alice = await newPage({ locale: 'en-US', viewport: { width: 1100, height: 720 }, colorScheme: 'dark' });
      const bob = await newPage({ locale: 'en-US', viewport: { width: 900, height: 720 } });
      await login(alice, 'alice', 'testpass');
      await login(bob, 'bob', 'testpass');
      const aliceLog = await open(alice, `Source ${stamp}`);
      const bobA = await open(bob, `Target A ${stamp}`);

      // One message to two chats, found by search.
      await bubble(aliceLog, 'first note').click({ button: 'right' });
      await alice.getByRole('menu', { name: 'Message actions' }).getByRole('menuitem', { name: 'Forward' }).click();
      const dialog = alice.getByRole('dialog', { name: 'Forward to chats' });
      const search = dialog.getByRole('searchbox', { name: 'Search chats' });
      await search.waitFor();
      assert.equal(await focused(alice), 'Search chats');
      await search.fill(`Target A ${stamp}`);
      assert.equal(await dialog.getByRole('checkbox').count(), 1);
      await dialog.getByRole('checkbox', { name: `Target A ${stamp}` }).check();
      await search.fill(`Target B ${stamp}`);
      await dialog.getByRole('checkbox', { name: `Target B ${stamp}` }).check();
      await shot(alice, 'actions-forward-dialog-dark');
      await axeCheck(alice, 'forward dialog', '[role="dialog"]');
      await dialog.getByRole('button', { name: 'Forward to 2 chats' }).click();
      await dialog.waitFor({ state: 'detached' });
      await alice.getByRole('status').getByText('Forwarded to 2 chats.').waitFor();
      const copy = bubble(bobA, 'first note');
      await copy.getByText('Forwarded from Bob').waitFor();

      // Selection: two messages at once to Target A; Esc leaves selection mode.
      await bubble(aliceLog, 'second note').click({ button: 'right' });
      await alice.getByRole('menu', { name: 'Message actions' }).getByRole('menuitem', { name: 'Select' }).click();
      const bar = alice.getByRole('toolbar', { name: 'Selected messages' });
      await bar.getByText('1 selected').waitFor();
      await bubble(aliceLog, 'third note').click();
      await bar.getByText('2 selected').waitFor();
      await bubble(aliceLog, 'first note').getByRole('checkbox', { name: 'Select message from Bob' }).check();
      await bar.getByText('3 selected').waitFor();
      await bubble(aliceLog, 'first note').getByRole('checkbox').uncheck();
      await shot(alice, 'actions-selection-dark');
      await axeCheck(alice, 'selection mode');
      await bar.getByRole('button', { name: 'Forward' }).click();
      await dialog.getByRole('checkbox', { name: `Target A ${stamp}` }).check();
      await dialog.getByRole('button', { name: 'Forward to 1 chat' }).click();
      await bar.waitFor({ state: 'detached' });
      await bubble(bobA, 'second note').getByText('Forwarded from Bob').waitFor();
      await bubble(bobA, 'third note').getByText('Forwarded from Bob').waitFor();
      assert.equal(await bubble(bobA, 'first note').count(), 1);

      await bubble(aliceLog, 'second note').click({ button: 'right' });
      await alice.getByRole('menu', { name: 'Message actions' }).getByRole('menuitem', { name: 'Select' }).click();
      await bar.waitFor();
      await alice.keyboard.press('Escape');
      await bar.waitFor({ state: 'detached' });
      assert.equal(await aliceLog.getByRole('checkbox').count(), 0);
    },
  },
  {
    name: 'after a dropped socket the chat shows the pin and reactions made meanwhile',
    /** @param {T} t */
    async run({ newPage, base }) {
      const title = `Offline ${Date.now()}`;
      const { bob: b, group } = await groupWith(base, title);
      const note = await call(base, b.token, 'POST', `/chats/${group.id}/messages`, { content: 'note while away' });
      const alice = await newPage({ locale: 'en-US', viewport: { width: 1000, height: 700 } });
      /** @type {import('playwright-core').WebSocketRoute[]} */
      const sockets = [];
      await alice.routeWebSocket(/\/ws$/, (ws) => {
        sockets.push(ws);
        ws.connectToServer();
      });
      await login(alice, 'alice', 'testpass');
      const log = await open(alice, title);
      await bubble(log, 'note while away').waitFor();

      // The server side of alice's socket goes away; bob pins and reacts meanwhile.
      const current = sockets.at(-1);
      assert.ok(current);
      await current.close({ code: 1011, reason: 'test' });
      await alice.getByRole('status').getByText('Connection lost').waitFor();
      await call(base, b.token, 'POST', `/chats/${group.id}/messages/${note.id}/pin`);
      await call(base, b.token, 'POST', `/chats/${group.id}/messages/${note.id}/reactions`, { emoji: '🔥' });
      await alice.getByRole('region', { name: 'Pinned message' }).getByText('note while away').waitFor({ timeout: 15_000 });
      await bubble(log, 'note while away').getByRole('button', { name: '🔥 1', pressed: false }).waitFor();
    },
  },
];
