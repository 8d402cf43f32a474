// Browser scenarios of the chat list: sections and the per-chat menu (persisted),
// leave/delete with confirmation, new chats, people search, Saved Messages. The live
// ones (typing, presence, switcher, title, notifications, 360 px) are in chatlist-live.mjs.
// Every chat a scenario changes is one it created (the database is shared by the run).
import assert from 'node:assert/strict';
import { apiLogin, call, login } from '../lib.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('../lib.mjs').T} T */

export const desktop = { locale: 'en-US', viewport: { width: 1100, height: 720 } };
export const chatList = (/** @type {Page} */ p) => p.getByRole('navigation', { name: 'Chat list' });
export const entry = (/** @type {Page} */ p, /** @type {string | RegExp} */ name) => chatList(p).getByRole('link', { name });
export const menu = (/** @type {Page} */ p) => p.getByRole('menu');

/** Opens a chat's menu with its visible "More" button. @param {Page} p @param {string} title */
export async function more(p, title) {
  await p.getByRole('button', { name: `More actions for ${title}` }).click();
  await menu(p).waitFor();
}

/**
 * Waits until `GET /chats` satisfies `ok` (the app shows a change before the server answered).
 * @param {string} base @param {string} token @param {(chats: any[]) => boolean} ok
 */
async function serverSays(base, token, ok) {
  /** @type {any[]} */
  let chats = [];
  for (let i = 0; i < 50; i++) {
    chats = await call(base, token, 'GET', '/chats');
    if (ok(chats)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`the server's list: ${JSON.stringify(chats.map((c) => [c.title, c.is_pinned, c.is_favorite, c.is_muted]))}`);
}

export const tests = [
  {
    name: 'chatlist: pin, favourite, mute and archive from the menu show at once and survive a reload',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const me = await apiLogin(base, 'alice');
      const bob = await apiLogin(base, 'bob');
      const tag = Date.now() % 100000;
      const names = { pin: `Pin me ${tag}`, fav: `Fav me ${tag}`, mute: `Mute me ${tag}`, archive: `Archive me ${tag}` };
      /** @type {Record<string, number>} */
      const ids = {};
      for (const [key, title] of Object.entries(names)) {
        ids[key] = (await call(base, me.token, 'POST', '/chats', { type: 'group', title, member_ids: [bob.id] })).id;
      }
      const alice = await newPage(desktop);
      await login(alice, 'alice', 'testpass');

      // Right-click → Pin: a "Pinned" section appears with the chat in it.
      await entry(alice, names.pin).click({ button: 'right' });
      await menu(alice).getByRole('menuitem', { name: 'Pin', exact: true }).click();
      await alice.getByRole('list', { name: 'Pinned' }).getByRole('link', { name: names.pin }).waitFor();

      // The visible "More" button → Add to favourites.
      await more(alice, names.fav);
      await menu(alice).getByRole('menuitem', { name: 'Add to favourites' }).click();
      await alice.getByRole('list', { name: 'Favourites' }).getByRole('link', { name: names.fav }).waitFor();

      // Mute for 8 hours (a submenu); a new message then shows a grey badge.
      await more(alice, names.mute);
      await menu(alice).getByRole('menuitem', { name: 'Mute…' }).click();
      await menu(alice).getByRole('menuitem', { name: 'Mute for 8 hours' }).click();
      await entry(alice, names.mute).getByRole('img', { name: 'Muted' }).waitFor();
      await call(base, bob.token, 'POST', `/chats/${ids.mute}/messages`, { content: 'psst' });
      const badge = entry(alice, names.mute).getByLabel('1 unread');
      await badge.waitFor();
      assert.match((await badge.getAttribute('class')) ?? '', /muted/);
      await shot(alice, 'chatlist-sections');

      // Archive by keyboard only: focus "More", Enter, arrows to "Archive", Enter.
      await alice.getByRole('button', { name: `More actions for ${names.archive}` }).focus();
      await alice.keyboard.press('Enter');
      // (the owner's "Delete chat" joins once the role is known)
      await menu(alice).getByRole('menuitem', { name: 'Delete chat' }).waitFor();
      await shot(alice, 'chatlist-menu');
      for (let i = 0; i < 8; i++) {
        const focused = await alice.evaluate(() => /** @type {any} */ (globalThis).document.activeElement?.textContent?.trim());
        if (focused === 'Archive') break;
        await alice.keyboard.press('ArrowDown');
      }
      await alice.keyboard.press('Enter');
      await entry(alice, names.archive).waitFor({ state: 'detached' });
      await alice.getByRole('button', { name: 'Archived chats (1)' }).waitFor();

      // The server agrees (the screen changed before its answer: poll), and a reload shows the same.
      await serverSays(base, me.token, (chat) => {
        const byId = (/** @type {number} */ id) => chat.find((c) => c.id === id);
        return byId(ids.pin)?.is_pinned === true && byId(ids.fav)?.is_favorite === true && byId(ids.mute)?.is_muted === true && !byId(ids.archive);
      });
      await alice.reload();
      await alice.getByRole('list', { name: 'Pinned' }).getByRole('link', { name: names.pin }).waitFor();
      await alice.getByRole('list', { name: 'Favourites' }).getByRole('link', { name: names.fav }).waitFor();
      await entry(alice, names.mute).getByRole('img', { name: 'Muted' }).waitFor();
      assert.equal(await entry(alice, names.archive).count(), 0);

      // The archive view lists it; Unarchive brings it back.
      await alice.getByRole('button', { name: 'Archived chats (1)' }).click();
      const archive = alice.getByRole('navigation', { name: 'Archived chats' });
      await archive.getByRole('link', { name: names.archive }).waitFor();
      await shot(alice, 'chatlist-archive');
      await more(alice, names.archive);
      await menu(alice).getByRole('menuitem', { name: 'Unarchive' }).click();
      await alice.getByRole('button', { name: 'Back to all chats' }).click();
      await entry(alice, names.archive).waitFor();
      // Back from the archive it is live again (subscribed without a reload).
      await alice.waitForTimeout(300);
      await call(base, bob.token, 'POST', `/chats/${ids.archive}/messages`, { content: 'welcome back' });
      await entry(alice, names.archive).getByText('welcome back').waitFor();

      // Unpin and unmute again (both persist too).
      await more(alice, names.pin);
      await menu(alice).getByRole('menuitem', { name: 'Unpin' }).click();
      await alice.getByRole('list', { name: 'Pinned' }).waitFor({ state: 'detached' });
      await more(alice, names.mute);
      await menu(alice).getByRole('menuitem', { name: 'Unmute' }).click();
      await entry(alice, names.mute).getByRole('img', { name: 'Muted' }).waitFor({ state: 'detached' });
      await serverSays(base, me.token, (chat) => {
        const byId = (/** @type {number} */ id) => chat.find((c) => c.id === id);
        return byId(ids.pin)?.is_pinned === false && byId(ids.mute)?.is_muted === false && Boolean(byId(ids.archive));
      });
      for (const id of Object.values(ids)) await call(base, me.token, 'DELETE', `/chats/${id}`);
    },
  },
  {
    name: 'chatlist: leave and delete ask first; Esc cancels and focus returns',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const me = await apiLogin(base, 'alice');
      const bob = await apiLogin(base, 'bob');
      const tag = Date.now() % 100000;
      const leaveTitle = `Leave me ${tag}`;
      const deleteTitle = `Delete me ${tag}`;
      const toLeave = await call(base, bob.token, 'POST', '/chats', { type: 'group', title: leaveTitle, member_ids: [me.id] });
      await call(base, me.token, 'POST', '/chats', { type: 'group', title: deleteTitle, member_ids: [bob.id] });
      const alice = await newPage(desktop);
      await login(alice, 'alice', 'testpass');

      // Not the owner: "Leave chat", no "Delete chat".
      await entry(alice, leaveTitle).click();
      await more(alice, leaveTitle);
      await menu(alice).getByRole('menuitem', { name: 'Leave chat' }).waitFor();
      assert.equal(await menu(alice).getByRole('menuitem', { name: 'Delete chat' }).count(), 0);
      await menu(alice).getByRole('menuitem', { name: 'Leave chat' }).click();
      const dialog = alice.getByRole('alertdialog', { name: `Leave “${leaveTitle}”?` });
      await dialog.waitFor();
      await alice.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.equal(
        await alice.evaluate(() => /** @type {any} */ (globalThis).document.activeElement?.getAttribute('aria-label')),
        `More actions for ${leaveTitle}`,
        'focus returns to the More button',
      );
      await more(alice, leaveTitle);
      await menu(alice).getByRole('menuitem', { name: 'Leave chat' }).click();
      await dialog.getByRole('button', { name: 'Leave' }).click();
      await entry(alice, leaveTitle).waitFor({ state: 'detached' });
      await alice.waitForURL('**/app');
      const members = await call(base, bob.token, 'GET', `/chats/${toLeave.id}`);
      assert.ok(!members.members.some((/** @type {{id: number}} */ m) => m.id === me.id), 'left on the server');

      // The owner deletes (confirmed): gone for bob too, live.
      const bobPage = await newPage(desktop);
      await login(bobPage, 'bob', 'testpass');
      await entry(bobPage, deleteTitle).waitFor();
      await more(alice, deleteTitle);
      await menu(alice).getByRole('menuitem', { name: 'Delete chat' }).click();
      const confirm = alice.getByRole('alertdialog', { name: `Delete “${deleteTitle}”?` });
      await confirm.waitFor();
      await shot(alice, 'chatlist-confirm-delete');
      await confirm.getByRole('button', { name: 'Delete' }).click();
      await entry(alice, deleteTitle).waitFor({ state: 'detached' });
      await entry(bobPage, deleteTitle).waitFor({ state: 'detached' });
      await call(base, bob.token, 'DELETE', `/chats/${toLeave.id}`);
    },
  },
  {
    name: 'chatlist: new group and channel by the dialog, a direct chat from people search, Saved Messages',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const me = await apiLogin(base, 'alice');
      const tag = Date.now() % 100000;
      const alice = await newPage(desktop);
      const bobPage = await newPage(desktop);
      await login(alice, 'alice', 'testpass');
      await login(bobPage, 'bob', 'testpass');

      // A group with bob: it opens for alice and appears live in bob's list.
      const groupTitle = `Lunch ${tag}`;
      await alice.getByRole('button', { name: 'New chat' }).click();
      const dialog = alice.getByRole('dialog', { name: 'New chat' });
      await dialog.getByRole('radio', { name: 'Group' }).check();
      await dialog.getByLabel('Title').fill(groupTitle);
      await dialog.getByLabel('Find people').fill('bob');
      await dialog.getByRole('checkbox', { name: /Bob/ }).check();
      await dialog.getByText('Selected: 1').waitFor();
      await shot(alice, 'chatlist-new-chat');
      await dialog.getByRole('button', { name: 'Create' }).click();
      await dialog.waitFor({ state: 'detached' });
      await alice.getByRole('heading', { name: groupTitle }).waitFor();
      await alice.getByText('2 members').waitFor();
      await entry(bobPage, groupTitle).waitFor();

      // A channel with a public name; a taken name shows the server's words.
      const channelTitle = `News ${tag}`;
      await alice.getByRole('button', { name: 'New chat' }).click();
      await dialog.getByRole('radio', { name: 'Channel' }).check();
      await dialog.getByLabel('Title').fill(channelTitle);
      await dialog.getByLabel('Public name (optional)').fill(`news${tag}`);
      await dialog.getByRole('button', { name: 'Create' }).click();
      await alice.getByRole('heading', { name: channelTitle }).waitFor();
      await alice.getByRole('button', { name: 'New chat' }).click();
      await dialog.getByRole('radio', { name: 'Channel' }).check();
      await dialog.getByLabel('Title').fill('Copy');
      await dialog.getByLabel('Public name (optional)').fill(`news${tag}`);
      await dialog.getByRole('button', { name: 'Create' }).click();
      await dialog.getByRole('alert').getByText('public_name already taken').waitFor();
      await alice.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      // People search in the sidebar: carol → the direct chat opens.
      await alice.getByRole('searchbox', { name: 'Search chats and people' }).fill('caro');
      const people = alice.getByRole('region', { name: 'People' });
      await people.getByRole('button', { name: /Carol/ }).click();
      await alice.getByRole('heading', { name: 'Carol' }).waitFor();
      await entry(alice, /Carol/).waitFor();
      // The search also filters my chats.
      await alice.getByRole('searchbox', { name: 'Search chats and people' }).fill('lunch');
      await entry(alice, groupTitle).waitFor();
      assert.equal(await entry(alice, /Dev Team/).count(), 0);
      await alice.getByRole('searchbox', { name: 'Search chats and people' }).fill('');

      // Saved Messages from the main menu: a self-chat, listed under its name.
      await alice.getByRole('button', { name: 'Main menu' }).click();
      await menu(alice).getByRole('menuitem', { name: 'Saved Messages' }).click();
      await alice.getByRole('heading', { name: 'Saved Messages' }).waitFor();
      await entry(alice, /Saved Messages/).waitFor();
      const listed = await call(base, me.token, 'GET', '/chats');
      assert.ok(listed.some((/** @type {any} */ c) => c.type === 'direct' && c.member_count === 1));
    },
  },
];
