// Browser scenarios: chatting live. Controls are found by role and label, as a person would.
import assert from 'node:assert/strict';
import { apiLogin, call, login } from '../lib.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('../lib.mjs').T} T */

export const tests = [
  {
    name: 'alice and bob see each other\'s messages live in Dev Team',
    /** @param {T} t */
    async run({ newPage, shot }) {
      const alice = await newPage({ locale: 'en-US', viewport: { width: 1100, height: 720 } });
      const bob = await newPage({ locale: 'en-US', viewport: { width: 360, height: 740 } });
      await login(alice, 'alice', 'testpass');
      await login(bob, 'bob', 'testpass');
      await shot(alice, 'chat-list');
      await shot(bob, 'chat-list-360');

      const devTeam = (/** @type {Page} */ p) =>
        p.getByRole('navigation', { name: 'Chat list' }).getByRole('link', { name: /Dev Team/ });
      await devTeam(alice).click();
      await devTeam(bob).click();
      const aliceLog = alice.getByRole('log', { name: 'Messages' });
      const bobLog = bob.getByRole('log', { name: 'Messages' });
      await aliceLog.waitFor();
      await bobLog.waitFor();

      const fromBob = `hello from bob ${Date.now()}`;
      await bob.getByRole('textbox', { name: 'Message' }).fill(fromBob);
      await bob.getByRole('textbox', { name: 'Message' }).press('Enter');
      await aliceLog.getByText(fromBob).waitFor();
      await bobLog.getByText(fromBob).waitFor();
      assert.equal(await bobLog.getByText(fromBob).count(), 1, 'bob sees his message once (POST answer + echo)');

      // Shift+Enter is a new line, Enter sends; text stays text.
      const box = alice.getByRole('textbox', { name: 'Message' });
      await box.fill('line one <b>not bold</b>');
      await box.press('Shift+Enter');
      await box.pressSequentially('line two');
      await box.press('Enter');
      await bobLog.getByText('line two').waitFor();
      const text = await bobLog.locator('.text', { hasText: 'line two' }).innerText();
      assert.equal(text, 'line one <b>not bold</b>\nline two');
      assert.equal(await bobLog.locator('b').count(), 0);
      assert.equal(await aliceLog.getByText('line two').count(), 1);
      await shot(alice, 'chat-view');
      await shot(bob, 'chat-view-360');
    },
  },
  {
    name: 'a new direct chat appears live and its messages update the list (preview, unread)',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const alice = await newPage({ locale: 'en-US', viewport: { width: 1100, height: 720 }, colorScheme: 'dark' });
      await login(alice, 'alice', 'testpass');
      await alice.getByRole('navigation', { name: 'Chat list' }).getByRole('link', { name: /Dev Team/ }).click();
      await alice.getByRole('log', { name: 'Messages' }).waitFor();

      const bob = await apiLogin(base, 'bob');
      const me = await apiLogin(base, 'alice');
      const created = await call(base, bob.token, 'POST', '/chats', { type: 'direct', member_ids: [me.id] });
      const list = alice.getByRole('navigation', { name: 'Chat list' });
      const entry = list.getByRole('link', { name: /Bob/ });
      await entry.waitFor();
      // Wait for the subscription to the new chat, then write in it.
      await alice.waitForTimeout(300);
      await call(base, bob.token, 'POST', `/chats/${created.id}/messages`, { content: 'are you there?' });
      await entry.getByText('are you there?').waitFor();
      await entry.getByLabel('1 unread').waitFor();
      await shot(alice, 'chat-list-dark');

      await entry.click();
      await alice.getByRole('log', { name: 'Messages' }).getByText('are you there?').waitFor();
      await entry.getByLabel('1 unread').waitFor({ state: 'detached' });
      await alice.getByRole('textbox', { name: 'Message' }).fill('yes!');
      await alice.getByRole('button', { name: 'Send' }).click();
      await entry.getByText('yes!').waitFor();
      await shot(alice, 'chat-view-dark');
    },
  },
  {
    name: 'older messages load on scroll up; after a dropped socket the chat catches up once',
    /** @param {T} t */
    async run({ newPage, base }) {
      const bob = await apiLogin(base, 'bob');
      const me = await apiLogin(base, 'alice');
      const group = await call(base, bob.token, 'POST', '/chats', { type: 'group', title: 'History', member_ids: [me.id] });
      for (let i = 1; i <= 70; i++) {
        await call(base, bob.token, 'POST', `/chats/${group.id}/messages`, { content: `history ${i}` });
      }
      const alice = await newPage({ locale: 'en-US', viewport: { width: 900, height: 700 } });
      /** @type {import('playwright-core').WebSocketRoute[]} */
      const sockets = [];
      await alice.routeWebSocket(/\/ws$/, (ws) => {
        sockets.push(ws);
        ws.connectToServer();
      });
      /** @type {string[]} */
      const catchUps = [];
      alice.on('request', (r) => {
        if (r.url().includes('after_seq=')) catchUps.push(r.url());
      });
      // A deep link opened while logged out survives the login.
      await alice.goto(`/c/${group.id}`);
      await alice.getByRole('button', { name: 'Log in' }).waitFor();
      assert.equal(new URL(alice.url()).searchParams.get('next'), `/c/${group.id}`);
      await alice.getByLabel('Username').fill('alice');
      await alice.getByLabel('Password').fill('testpass');
      await alice.getByRole('button', { name: 'Log in' }).click();
      await alice.waitForURL(`**/c/${group.id}`);
      const log = alice.getByRole('log', { name: 'Messages' });
      await log.getByText('history 70', { exact: true }).waitFor();
      assert.equal(await log.getByText('history 1', { exact: true }).count(), 0);
      await log.evaluate((el) => el.scrollTo(0, 0));
      await log.getByText('history 1', { exact: true }).waitFor();
      await log.getByText('This is the beginning of the chat.').waitFor();

      // The server side of the socket goes away; a message is sent meanwhile.
      const current = sockets.at(-1);
      assert.ok(current);
      const before = sockets.length;
      await current.close({ code: 1011, reason: 'test' });
      await alice.getByRole('status').getByText('Connection lost').waitFor();
      await call(base, bob.token, 'POST', `/chats/${group.id}/messages`, { content: 'while you were away' });
      await log.getByText('while you were away').waitFor({ timeout: 15_000 });
      assert.ok(sockets.length > before, 'reconnected');
      assert.ok(
        catchUps.some((u) => u.includes(`/chats/${group.id}/messages?after_seq=70`)),
        `caught up by after_seq: ${catchUps.join(' ')}`,
      );
      await alice.getByRole('status').waitFor({ state: 'detached' });
      await call(base, bob.token, 'POST', `/chats/${group.id}/messages`, { content: 'live again' });
      await log.getByText('live again').waitFor();
      assert.equal(await log.getByText('while you were away').count(), 1);
      assert.equal(await log.getByText('history 70', { exact: true }).count(), 1);
    },
  },
];
