// Browser scenarios: the admin panel (/admin/*). alice (demo admin) moderates
// while bob's own browser is open and sees the effects live.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { apiLogin, call, login } from '../lib.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('../lib.mjs').T} T */

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** No serious or critical axe-core violations on the page as it is now. */
async function axeCheck(/** @type {Page} */ page, /** @type {string} */ what) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = /** @type {any} */ (globalThis).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((/** @type {any} */ v) => v.impact === 'serious' || v.impact === 'critical')
      .map((/** @type {any} */ v) => `${v.id}: ${v.nodes.map((/** @type {any} */ n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, [], `axe (${what})`);
}

/** A section of the panel through its navigation. */
async function section(/** @type {Page} */ page, /** @type {string} */ name) {
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name, exact: true }).click();
}

/** Confirms the open confirmation dialog with its action button. */
async function confirm(/** @type {Page} */ page, /** @type {string} */ title, /** @type {string} */ button) {
  const dialog = page.getByRole('alertdialog', { name: title });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

export const tests = [
  {
    name: 'admin: dashboard matches the API; block logs bob out live, unblock; support message and moderation delete reach bob live; the audit log lists them',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const stamp = Date.now();
      const a = await apiLogin(base, 'alice');
      const b = await apiLogin(base, 'bob');
      // Data made through the API for the numbers: a new user, a group, messages.
      const newcomer = `adm${stamp % 1_000_000}`;
      await call(base, null, 'POST', '/auth/register', { username: newcomer, email: `${newcomer}@example.com`, password: 'testpass' });
      const title = `Moderation ${stamp}`;
      const group = await call(base, a.token, 'POST', '/chats', { type: 'group', title, member_ids: [b.id] });
      const doomed = `Delete me ${stamp}`;
      await call(base, b.token, 'POST', `/chats/${group.id}/messages`, { content: doomed });
      await call(base, a.token, 'POST', `/chats/${group.id}/messages`, { content: 'Keep me' });
      // A new support chat emits no event (§14.6): it exists before bob's page opens.
      await call(base, a.token, 'POST', '/admin-api/support/send', { content: 'Welcome', target_user_id: b.id });
      const stats = await call(base, a.token, 'GET', '/admin-api/stats');

      const alice = await newPage({ locale: 'en-US', viewport: { width: 1280, height: 860 } });
      const bob = await newPage({ locale: 'en-US', viewport: { width: 900, height: 720 } });
      await login(alice, 'alice', 'testpass');
      await login(bob, 'bob', 'testpass');

      // The way in for an admin: the chat list's main menu.
      await alice.getByRole('button', { name: 'Main menu' }).click();
      await alice.getByRole('menu', { name: 'Main menu' }).getByRole('menuitem', { name: 'Admin panel' }).click();
      await alice.waitForURL('**/admin');
      await alice.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      const card = (/** @type {string} */ key) => alice.locator(`[data-stat="${key}"] dd`);
      await card('totalUsers').waitFor();
      const fmt = (/** @type {number} */ n) => n.toLocaleString('en-US');
      for (const [key, field] of [
        ['totalUsers', 'total_users'],
        ['chats', 'total_chats'],
        ['messages', 'total_messages'],
        ['messagesToday', 'messages_today'],
        ['newUsersToday', 'new_users_today'],
        ['blocked', 'blocked_users'],
      ]) {
        assert.equal(await card(key).innerText(), fmt(stats[field]), `card ${key}`);
      }
      assert.ok(stats.new_users_today >= 1 && stats.messages_today >= 3, 'the data made here is counted');
      // Each trend has its text table of 15 days, the day's counts included.
      const msgTable = alice.getByRole('table', { name: 'Messages, last 14 days' });
      assert.equal(await msgTable.locator('tbody tr').count(), 15);
      const todayCount = stats.msg_trend.find((/** @type {{ day: string }} */ d) => d.day === new Date().toISOString().slice(0, 10))?.count;
      assert.equal(await msgTable.locator('tbody tr').last().locator('td').innerText(), String(todayCount ?? 0));
      await alice.locator('.uplot canvas').first().waitFor();
      await shot(alice, 'admin-dashboard');

      // Users: find bob, block him while his page is open: he is back at the login.
      await section(alice, 'Users');
      await alice.getByRole('searchbox', { name: 'Search by username or name' }).fill('bob');
      await alice.waitForURL('**/admin/users?q=bob');
      const bobRow = alice.getByRole('row').filter({ has: alice.getByRole('rowheader', { name: /@bob/ }) });
      await bobRow.waitFor();
      await bobRow.getByRole('button', { name: 'Block bob' }).click();
      await confirm(alice, 'Block bob?', 'Block');
      await bobRow.getByText('blocked', { exact: true }).waitFor();
      // The keyboard user stays on the row: the button that was pressed now unblocks.
      assert.equal(await alice.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Unblock bob');
      await bob.waitForURL('**/login**', { timeout: 5_000 });
      await shot(alice, 'admin-users-blocked');
      await bobRow.getByRole('button', { name: 'Unblock bob' }).click();
      await confirm(alice, 'Unblock bob?', 'Unblock');
      await bobRow.getByRole('button', { name: 'Block bob' }).waitFor();
      assert.equal(await bobRow.getByText('blocked', { exact: true }).count(), 0);
      // Blocking oneself is refused in the server's words.
      await alice.getByRole('searchbox', { name: 'Search by username or name' }).fill('alice');
      const aliceRow = alice.getByRole('row').filter({ has: alice.getByRole('rowheader', { name: /@alice/ }) });
      await aliceRow.getByRole('button', { name: 'Block alice' }).click();
      await confirm(alice, 'Block alice?', 'Block');
      await alice.getByRole('alert').getByText('Cannot block yourself').waitFor();

      // Support: bob, logged in again, gets a support message live.
      await login(bob, 'bob', 'testpass');
      const bobList = bob.getByRole('navigation', { name: 'Chat list' });
      await bobList.getByText(/Welcome/).waitFor();
      await section(alice, 'Support');
      await alice.getByRole('heading', { name: 'Send as support' }).waitFor();
      await alice.getByLabel('User', { exact: true }).selectOption(String(b.id));
      await alice.getByLabel('Message', { exact: true }).fill(`Your account was reviewed ${stamp}`);
      await alice.getByRole('button', { name: 'Send', exact: true }).click();
      await alice.getByRole('status').getByText(/^Sent \(chat \d+\)\./).waitFor();
      await bobList.getByText(`[SUPPORT] Your account was reviewed ${stamp}`).waitFor();
      await alice.getByRole('table', { name: 'The last 50 messages sent as support' }).getByText(`Your account was reviewed ${stamp}`).waitFor();
      await shot(alice, 'admin-support');

      // Moderation: bob has the group open; the message leaves it live.
      await bobList.getByRole('link', { name: new RegExp(title) }).click();
      const bobLog = bob.getByRole('log', { name: 'Messages' });
      await bobLog.getByText(doomed).waitFor();
      await section(alice, 'Messages');
      await alice.getByLabel('Text contains').fill(doomed);
      await alice.getByRole('button', { name: 'Search', exact: true }).click();
      const messageRow = alice.getByRole('row').filter({ hasText: doomed });
      await messageRow.waitFor();
      await messageRow.getByRole('button', { name: /^Delete message \d+ for everyone$/ }).click();
      await confirm(alice, 'Delete this message for everyone?', 'Delete for everyone');
      await messageRow.getByText('deleted', { exact: true }).waitFor();
      assert.equal(await messageRow.getByRole('button', { name: /^Delete message/ }).count(), 0);
      await bobLog.getByText(doomed).waitFor({ state: 'detached' });
      await bobLog.getByText('Keep me').waitFor();
      await shot(alice, 'admin-messages');

      // The audit log has all of it.
      await section(alice, 'Audit log');
      const audit = alice.getByRole('table', { name: 'Admin actions, newest first' });
      await audit.waitFor();
      for (const action of ['Block', 'Unblock', 'Support message', 'Delete message']) {
        await audit.getByRole('rowheader', { name: action, exact: true }).first().waitFor();
      }
      await audit.getByRole('link', { name: `User ${b.id}` }).first().waitFor();
      await alice.getByLabel('Action').selectOption('block');
      await alice.getByRole('button', { name: 'Search', exact: true }).click();
      await alice.waitForURL('**/admin/audit?action=block');
      await audit.getByRole('rowheader', { name: 'Unblock', exact: true }).waitFor({ state: 'detached' });
      assert.ok((await audit.getByRole('rowheader', { name: 'Block', exact: true }).count()) >= 1);
      await shot(alice, 'admin-audit');
    },
  },
  {
    name: 'admin: a non-admin gets the refusal; every admin screen passes axe-core in light and dark, and fits 360 px',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      // bob is unblocked whatever an earlier scenario left behind.
      const a = await apiLogin(base, 'alice');
      const found = await call(base, a.token, 'GET', '/admin-api/users?q=bob');
      const bobId = found.users.find((/** @type {{ username: string }} */ u) => u.username === 'bob').id;
      await call(base, a.token, 'POST', `/admin-api/users/${bobId}/unblock`);
      const b = await apiLogin(base, 'bob');
      const bob = await newPage({ locale: 'en-US', viewport: { width: 900, height: 700 } });
      await login(bob, 'bob', 'testpass');
      await bob.goto('/admin/users');
      await bob.getByRole('heading', { name: 'Admins only' }).waitFor();
      await bob.getByRole('link', { name: 'Back to chats' }).first().waitFor();
      await axeCheck(bob, 'refusal');
      await shot(bob, 'admin-refusal');

      // A logged-out visitor logs in and lands on the link.
      const visitor = await newPage({ locale: 'en-US' });
      await visitor.goto('/admin/audit');
      await visitor.waitForURL('**/login?next=**');
      await visitor.getByLabel('Username').fill('alice');
      await visitor.getByLabel('Password').fill('testpass');
      await visitor.getByRole('button', { name: 'Log in' }).click();
      await visitor.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();

      const screens = [
        ['dashboard', '/admin', 'Dashboard'],
        ['users', '/admin/users', 'Users'],
        ['user', `/admin/users/${b.id}`, 'Bob'],
        ['messages', '/admin/messages', 'Messages'],
        ['support', '/admin/support', 'Support'],
        ['audit', '/admin/audit', 'Audit log'],
      ];
      for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
        const alice = await newPage({ locale: 'en-US', viewport: { width: 1200, height: 800 }, colorScheme });
        await login(alice, 'alice', 'testpass');
        for (const [key, path, heading] of screens) {
          await alice.goto(path);
          await alice.getByRole('heading', { name: heading, level: 1 }).waitFor();
          await alice.getByRole('status').filter({ hasText: 'Loading…' }).waitFor({ state: 'detached' });
          if (key === 'dashboard') await alice.locator('.uplot canvas').first().waitFor();
          await axeCheck(alice, `${key} (${colorScheme})`);
          await shot(alice, `admin-${key}-${colorScheme}`);
        }
        // The confirmation dialog, too.
        await alice.goto('/admin/users?q=carol');
        await alice.getByRole('button', { name: 'Block carol' }).click();
        await alice.getByRole('alertdialog', { name: 'Block carol?' }).waitFor();
        await axeCheck(alice, `confirmation (${colorScheme})`);
        await shot(alice, `admin-confirm-${colorScheme}`);
        await alice.keyboard.press('Escape');
        await alice.getByRole('alertdialog').waitFor({ state: 'detached' });
      }

      // 360 px: the page does not scroll sideways; the tables scroll inside.
      const phone = await newPage({ locale: 'en-US', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
      await login(phone, 'alice', 'testpass');
      for (const [key, path, heading] of screens) {
        await phone.goto(path);
        await phone.getByRole('heading', { name: heading, level: 1 }).waitFor();
        await phone.getByRole('status').filter({ hasText: 'Loading…' }).waitFor({ state: 'detached' });
        const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${key} at 360 px overflows by ${overflow}px`);
        if (key === 'dashboard' || key === 'users') await shot(phone, `admin-${key}-360`);
      }
    },
  },
];
