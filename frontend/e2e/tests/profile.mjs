// Browser scenarios: profiles, chat info, invites, settings, deep links.
// Controls are found by role and label, as a person would.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { apiLogin, call, login } from '../lib.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('../lib.mjs').T} T */

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
// A 2×2 PNG (red), enough for an avatar.
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

/** No serious or critical axe-core violations on the page as it is now. @param {Page} page @param {string} what */
async function checkA11y(page, what) {
  // Evaluated through the DevTools protocol, so the page's CSP does not apply.
  await page.evaluate(axeSource);
  /** @type {{ id: string, impact: string, nodes: { target: string[] }[] }[]} */
  const violations = await page.evaluate(async () => {
    // @ts-expect-error axe is the global the script above defined
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((/** @type {any} */ v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((/** @type {any} */ n) => ({ target: n.target })) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe on ${what}`);
}

/** Retries an assertion until it holds (writes that are not awaited by the page). @param {() => Promise<void>} check */
async function eventually(check, timeoutMs = 8000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
}

/** @param {string} base */
async function freshUser(base, prefix = 'pf') {
  const username = `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
  await call(base, null, 'POST', '/auth/register', { username, email: `${username}@example.org`, password: 'testpass', display_name: 'Fresh Person' });
  return { username, ...(await apiLogin(base, username)) };
}

export const tests = [
  {
    name: 'profile: carol edits her profile and avatar, bob sees the new name live and opens her profile',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const bobApi = await apiLogin(base, 'bob');
      const carolApi = await apiLogin(base, 'carol');
      const dm = await call(base, bobApi.token, 'POST', '/chats', { type: 'direct', member_ids: [carolApi.id] });
      try {
        const bob = await newPage({ locale: 'en-US', viewport: { width: 1100, height: 720 }, permissions: ['clipboard-read', 'clipboard-write'] });
        const carol = await newPage({ locale: 'en-US', viewport: { width: 1100, height: 800 }, colorScheme: 'light' });
        await login(bob, 'bob', 'testpass');
        await login(carol, 'carol', 'testpass');
        const bobList = bob.getByRole('navigation', { name: 'Chat list' });
        await bobList.getByRole('link', { name: /Carol/ }).waitFor();

        await carol.getByRole('link', { name: 'Settings and profile of Carol' }).click();
        await carol.getByRole('heading', { name: 'My profile' }).waitFor();
        // The server's refusal shows inline, in its own words.
        await carol.getByLabel('Username').fill('c a');
        await carol.getByRole('button', { name: 'Save' }).click();
        assert.equal(
          await carol.getByRole('alert').textContent(),
          'Username must be 3-20 characters: letters, digits, underscores only',
        );
        await carol.getByLabel('Username').fill('carol');
        await carol.getByLabel('Display name').fill('Carol Renamed');
        await carol.getByLabel('About me').fill('Tester of <b>things</b>');
        await carol.getByRole('button', { name: 'Save' }).click();
        await carol.getByRole('status').getByText('Saved.').waitFor();

        // Bob's list follows at once (user_profile_updated), no reload.
        await bobList.getByRole('link', { name: /Carol Renamed/ }).waitFor();

        await carol.getByLabel('Change photo').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: png });
        const photo = carol.locator('.photo img');
        await photo.waitFor();
        // The picture loads (a broken one would fall back to the initial).
        await carol.waitForFunction('document.querySelector(".photo img")?.complete && document.querySelector(".photo img").naturalWidth > 0');
        await shot(carol, 'profile-settings-light');
        await checkA11y(carol, 'settings');
        await carol.getByRole('button', { name: 'Back' }).click();
        await carol.getByRole('link', { name: 'Settings and profile of Carol Renamed' }).locator('img').waitFor();

        // Bob opens her profile by the deep link /@carol.
        await bob.goto('/@carol');
        const card = bob.getByRole('region', { name: 'Profile of Carol Renamed' });
        await card.getByRole('heading', { name: 'Carol Renamed' }).waitFor();
        await card.getByText('@carol', { exact: true }).waitFor();
        await card.getByText('Tester of <b>things</b>').waitFor();
        assert.equal(await card.locator('b').count(), 0, 'the bio is text');
        await card.locator('img').waitFor();
        await card.getByText(/online|last seen/).waitFor();
        await card.getByRole('button', { name: 'Copy username @carol' }).click();
        await card.getByRole('status').getByText('Copied to the clipboard.').waitFor();
        assert.equal(await bob.evaluate('navigator.clipboard.readText()'), '@carol');
        await shot(bob, 'profile-view');
        await checkA11y(bob, 'profile');
        await card.getByRole('button', { name: 'Send message' }).click();
        await bob.waitForURL(`**/c/${dm.id}`);
        await bob.getByRole('region', { name: 'Carol Renamed' }).getByRole('heading', { name: 'Carol Renamed' }).waitFor();

        // In the direct chat, "Chat info" is her profile.
        await bob.getByRole('button', { name: 'Chat info' }).click();
        const profileDialog = bob.getByRole('dialog', { name: 'Profile' });
        await profileDialog.getByRole('heading', { name: 'Carol Renamed' }).waitFor();
        await shot(bob, 'profile-dialog');
        await profileDialog.getByRole('button', { name: 'Close' }).click();
        await profileDialog.waitFor({ state: 'detached' });

        // A sender's name in the chat opens the profile too.
        await call(base, carolApi.token, 'POST', `/chats/${dm.id}/messages`, { content: 'hi bob' });
        const log = bob.getByRole('log', { name: 'Messages' });
        await log.getByText('hi bob').waitFor();
        await log.getByRole('link', { name: 'Carol Renamed' }).first().click();
        await bob.waitForURL(`**/u/${carolApi.id}`);
        await bob.getByRole('heading', { name: 'Carol Renamed' }).waitFor();
      } finally {
        await call(base, carolApi.token, 'PUT', `/users/${carolApi.id}`, { display_name: 'Carol', bio: '' });
      }
    },
  },
  {
    name: 'chat info: promote a member, invite link, carol joins while logged out, revoke shows a clear message',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const aliceApi = await apiLogin(base, 'alice');
      const bobApi = await apiLogin(base, 'bob');
      const title = `Invite Club ${Date.now().toString(36)}`;
      const group = await call(base, aliceApi.token, 'POST', '/chats', {
        type: 'group',
        title,
        description: 'People who test invites',
        member_ids: [bobApi.id],
      });
      const alice = await newPage({ locale: 'en-US', viewport: { width: 1100, height: 800 } });
      await login(alice, 'alice', 'testpass');
      await alice.getByRole('navigation', { name: 'Chat list' }).getByRole('link', { name: new RegExp(title) }).click();
      const infoButton = alice.getByRole('button', { name: 'Chat info' });
      await infoButton.click();
      const dialog = alice.getByRole('dialog', { name: 'Chat info' });
      await dialog.getByRole('heading', { name: title }).waitFor();
      await dialog.getByText('People who test invites').waitFor();
      const members = dialog.getByRole('list', { name: 'Members' });
      await members.getByRole('listitem').filter({ hasText: 'Alice' }).getByText('owner', { exact: true }).waitFor();

      // Promote and demote (owner only, §7.11); the server agrees.
      await dialog.getByRole('button', { name: 'Make admin: Bob' }).click();
      await members.getByRole('listitem').filter({ hasText: 'Bob' }).getByText('admin', { exact: true }).waitFor();
      let detail = await call(base, aliceApi.token, 'GET', `/chats/${group.id}`);
      assert.equal(detail.members.find((/** @type {any} */ m) => m.id === bobApi.id).role, 'admin');
      await dialog.getByRole('button', { name: 'Remove admin: Bob' }).click();
      await dialog.getByRole('button', { name: 'Make admin: Bob' }).waitFor();
      detail = await call(base, aliceApi.token, 'GET', `/chats/${group.id}`);
      assert.equal(detail.members.find((/** @type {any} */ m) => m.id === bobApi.id).role, 'member');

      await dialog.getByText('No invite links yet.').waitFor();
      await dialog.getByRole('button', { name: 'Create invite link' }).click();
      const linkBox = dialog.getByRole('textbox', { name: 'Invite link 1' });
      await linkBox.waitFor();
      const link = await linkBox.inputValue();
      assert.match(link, new RegExp(`^${base.replace(/[.]/g, '\\.')}/join/[0-9a-f-]{36}$`));
      await dialog.getByLabel('Change chat photo').setInputFiles({ name: 'group.png', mimeType: 'image/png', buffer: png });
      await dialog.getByRole('region', { name: title }).locator('img').waitFor();
      await shot(alice, 'chatinfo');
      await checkA11y(alice, 'chat info');

      // Carol, logged out, opens the link: the preview, then login, then join.
      const carol = await newPage({ locale: 'en-US', viewport: { width: 360, height: 740 } });
      await carol.goto(link);
      await carol.getByRole('heading', { name: title }).waitFor();
      await carol.getByText('Members: 2').waitFor();
      await shot(carol, 'join-preview-360');
      await checkA11y(carol, 'join preview');
      await carol.getByRole('link', { name: 'Log in to join' }).click();
      await carol.getByLabel('Username').fill('carol');
      await carol.getByLabel('Password').fill('testpass');
      await carol.getByRole('button', { name: 'Log in' }).click();
      await carol.waitForURL(`**${new URL(link).pathname}`);
      await carol.getByRole('button', { name: 'Join' }).click();
      await carol.waitForURL(`**/c/${group.id}`);
      await carol.getByRole('heading', { name: title }).waitFor();

      // Alice's open panel follows (chat_member_joined).
      await members.getByRole('listitem').filter({ hasText: 'Carol' }).waitFor();
      await dialog.getByText('Members: 3').waitFor();

      // Editing the title reaches carol live (chat_updated).
      await dialog.getByRole('button', { name: 'Edit' }).click();
      await dialog.getByLabel('Title').fill(`${title} 2`);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.getByRole('heading', { name: `${title} 2` }).waitFor();
      await carol.getByRole('heading', { name: `${title} 2` }).waitFor();

      // A newcomer registers from the invite and comes back to it.
      const newcomer = await newPage({ locale: 'en-US', viewport: { width: 900, height: 700 } });
      await newcomer.goto(link);
      await newcomer.getByRole('link', { name: 'Create account' }).click();
      const name = `nc${Date.now().toString(36)}`;
      await newcomer.getByLabel('Username').fill(name);
      await newcomer.getByLabel('Email').fill(`${name}@example.org`);
      await newcomer.getByLabel('Password').fill('long-enough-pw');
      await newcomer.getByRole('button', { name: 'Create account' }).click();
      await newcomer.waitForURL(`**${new URL(link).pathname}`);
      await newcomer.getByRole('button', { name: 'Join' }).click();
      await newcomer.waitForURL(`**/c/${group.id}`);
      await members.getByRole('listitem').filter({ hasText: name }).waitFor();

      await dialog.getByRole('button', { name: 'Revoke invite link 1' }).click();
      await dialog.getByText('No invite links yet.').waitFor();
      const late = await newPage({ locale: 'en-US', viewport: { width: 900, height: 700 } });
      await late.goto(link);
      await late.getByRole('heading', { name: 'This invite link does not work' }).waitFor();
      assert.equal(await late.getByRole('alert').textContent(), 'Invite has been revoked');
      await shot(late, 'join-revoked');

      // Esc closes the dialog and focus returns to its button.
      await alice.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await alice.evaluate('document.activeElement?.getAttribute("aria-label")'), 'Chat info');
    },
  },
  {
    name: 'chat info: a member sees no owner tools (360 px), leaves; the owner cannot leave, deletes the chat',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const aliceApi = await apiLogin(base, 'alice');
      const bobApi = await apiLogin(base, 'bob');
      const carolApi = await apiLogin(base, 'carol');
      const title = `Short Lived ${Date.now().toString(36)}`;
      const group = await call(base, aliceApi.token, 'POST', '/chats', { type: 'group', title, member_ids: [bobApi.id, carolApi.id] });
      const open = async (/** @type {Page} */ page) => {
        await page.getByRole('navigation', { name: 'Chat list' }).getByRole('link', { name: new RegExp(title) }).click();
        await page.getByRole('button', { name: 'Chat info' }).click();
        const dialog = page.getByRole('dialog', { name: 'Chat info' });
        await dialog.getByRole('heading', { name: title }).waitFor();
        return dialog;
      };
      const bob = await newPage({ locale: 'en-US', viewport: { width: 360, height: 740 } });
      await login(bob, 'bob', 'testpass');
      const bobDialog = await open(bob);
      await bobDialog.getByRole('list', { name: 'Members' }).getByRole('listitem').nth(2).waitFor();
      assert.equal(await bobDialog.getByRole('button', { name: /Make admin|Create invite link|Edit|Delete chat/ }).count(), 0);
      await shot(bob, 'chatinfo-member-360');
      assert.equal(await bob.evaluate('document.documentElement.scrollWidth <= 360'), true, 'no sideways scrolling');

      const alice = await newPage({ locale: 'en-US', viewport: { width: 1100, height: 800 } });
      await login(alice, 'alice', 'testpass');
      const aliceDialog = await open(alice);
      const aliceMembers = aliceDialog.getByRole('list', { name: 'Members' });
      await aliceMembers.getByRole('listitem').filter({ hasText: 'Bob' }).waitFor();

      // Bob leaves: he is back at the list without it, and alice's panel drops him live.
      await bobDialog.getByRole('button', { name: 'Leave chat' }).click();
      await bob.waitForURL('**/app');
      await bob.getByRole('navigation', { name: 'Chat list' }).getByRole('link', { name: /Dev Team/ }).waitFor();
      await bob.getByRole('navigation', { name: 'Chat list' }).getByRole('link', { name: new RegExp(title) }).waitFor({ state: 'detached' });
      await aliceMembers.getByRole('listitem').filter({ hasText: 'Bob' }).waitFor({ state: 'detached' });

      // The owner of a chat with members cannot leave (§7.10): the server's words.
      await aliceDialog.getByRole('button', { name: 'Leave chat' }).click();
      assert.equal(await aliceDialog.getByRole('alert').textContent(), 'Transfer ownership before leaving, or delete the chat');

      const carol = await newPage({ locale: 'en-US', viewport: { width: 900, height: 700 } });
      await login(carol, 'carol', 'testpass');
      const carolEntry = carol.getByRole('navigation', { name: 'Chat list' }).getByRole('link', { name: new RegExp(title) });
      await carolEntry.waitFor();
      await aliceDialog.getByRole('button', { name: 'Delete chat' }).click();
      await aliceDialog.getByRole('button', { name: 'Delete for everyone' }).click();
      await alice.waitForURL('**/app');
      await carolEntry.waitFor({ state: 'detached' });
      const gone = await fetch(`${base}/chats/${group.id}`, { headers: { Authorization: `Bearer ${aliceApi.token}` } });
      assert.equal(gone.status, 404);
    },
  },
  {
    name: 'settings: dark theme applies, language ru switches the UI, privacy settings persist via the API',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const user = await freshUser(base);
      const page = await newPage({ locale: 'en-US', viewport: { width: 1000, height: 900 }, colorScheme: 'light' });
      await login(page, user.username, 'testpass');
      await page.getByRole('link', { name: 'Settings and profile of Fresh Person' }).click();
      await page.waitForURL('**/u/me');

      const background = () => page.evaluate('getComputedStyle(document.body).backgroundColor');
      assert.equal(await background(), 'rgb(255, 255, 255)');
      await page.getByRole('radio', { name: 'Dark' }).check();
      assert.equal(await page.evaluate('document.documentElement.dataset.theme'), 'dark');
      assert.equal(await background(), 'rgb(17, 20, 24)');

      // Privacy: on the server.
      const receipts = page.getByRole('checkbox', { name: 'Send read receipts' });
      assert.equal(await receipts.isChecked(), true);
      await receipts.uncheck();
      await page.getByLabel('Who sees when I was last online').selectOption('nobody');
      await eventually(async () => {
        const stored = await call(base, user.token, 'GET', '/settings');
        assert.equal(stored.read_receipts_enabled, false);
        assert.equal(stored.last_seen_visibility, 'nobody');
        assert.equal(stored.theme, 'dark');
      });
      await shot(page, 'settings-dark');
      await checkA11y(page, 'settings (dark)');

      // A reload keeps all of it (theme locally, privacy from the server).
      await page.reload();
      await page.getByRole('checkbox', { name: 'Send read receipts' }).waitFor();
      assert.equal(await page.getByRole('checkbox', { name: 'Send read receipts' }).isChecked(), false);
      assert.equal(await page.getByLabel('Who sees when I was last online').inputValue(), 'nobody');
      assert.equal(await background(), 'rgb(17, 20, 24)');
      assert.equal(await page.getByRole('radio', { name: 'Dark' }).isChecked(), true);

      // The language switches the whole UI at once, and stays.
      await page.getByRole('radio', { name: 'Русский' }).check();
      await page.getByRole('heading', { name: 'Мой профиль' }).waitFor();
      assert.equal(await page.evaluate('document.documentElement.lang'), 'ru');
      await page.getByRole('button', { name: 'Назад' }).click();
      await page.getByRole('heading', { name: 'Чаты' }).waitFor();
      await page.getByRole('button', { name: 'Выйти' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Чаты' }).waitFor();
      await eventually(async () => assert.equal((await call(base, user.token, 'GET', '/settings')).language, 'ru'));

      await page.getByRole('link', { name: 'Настройки и профиль: Fresh Person' }).click();
      await page.getByRole('radio', { name: 'Светлая' }).check();
      assert.equal(await background(), 'rgb(255, 255, 255)');
      await page.getByRole('radio', { name: 'Deutsch' }).check();
      await page.getByRole('heading', { name: 'Mein Profil' }).waitFor();
      await page.getByRole('radio', { name: 'English' }).check();
      await page.getByRole('heading', { name: 'My profile' }).waitFor();

      // 360 px wide: still usable.
      const small = await newPage({ locale: 'en-US', viewport: { width: 360, height: 740 } });
      await login(small, user.username, 'testpass');
      await small.goto('/u/me');
      await small.getByRole('heading', { name: 'Privacy' }).waitFor();
      assert.equal(await small.evaluate('document.documentElement.scrollWidth <= 360'), true, 'no sideways scrolling');
      await shot(small, 'settings-360');
    },
  },
  {
    name: 'deep links: /dm/{id}, /c/{name} for members and others, /u/{id}, an unknown /@name',
    /** @param {T} t */
    async run({ newPage, base }) {
      const aliceApi = await apiLogin(base, 'alice');
      const carolApi = await apiLogin(base, 'carol');
      const publicName = `news_${Date.now().toString(36)}`;
      const channel = await call(base, aliceApi.token, 'POST', '/chats', {
        type: 'channel',
        title: 'Newsroom',
        description: 'Public news',
        public_name: publicName,
      });
      const user = await freshUser(base, 'dl');

      // Logged out, a deep link survives the login.
      const page = await newPage({ locale: 'en-US', viewport: { width: 1000, height: 700 } });
      await page.goto(`/dm/${carolApi.id}`);
      await page.getByRole('button', { name: 'Log in' }).waitFor();
      await page.getByLabel('Username').fill(user.username);
      await page.getByLabel('Password').fill('testpass');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(/\/c\/\d+$/);
      await page.getByRole('region', { name: 'Carol' }).getByRole('heading', { name: 'Carol' }).waitFor();
      const chats = await call(base, user.token, 'GET', '/chats');
      assert.equal(chats.filter((/** @type {any} */ c) => c.other_user_id === carolApi.id).length, 1);

      // Not a member: what the channel is, and how to get in.
      await page.goto(`/c/${publicName}`);
      await page.getByRole('heading', { name: 'Newsroom' }).waitFor();
      await page.getByText(/You are not a member/).waitFor();

      // A member goes straight into it.
      const alice = await newPage({ locale: 'en-US', viewport: { width: 1000, height: 700 } });
      await login(alice, 'alice', 'testpass');
      await alice.goto(`/c/${publicName.toUpperCase()}`);
      await alice.waitForURL(`**/c/${channel.id}`);
      await alice.getByRole('log', { name: 'Messages' }).waitFor();

      await page.goto(`/u/${aliceApi.id}`);
      await page.getByRole('heading', { name: 'Alice' }).waitFor();
      await page.goto('/@no_such_person_here');
      assert.equal(await page.getByRole('alert').textContent(), 'User not found');
    },
  },
];
