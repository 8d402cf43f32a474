// Browser scenarios of the chat list: sections and the per-chat menu (persisted),
// leave/delete with confirmation, new chats, people search, Saved Messages, typing
// and presence live, the Ctrl+K switcher, Alt+arrows, tab title, notifications, 360 px.
// Every chat a scenario changes is one it created (the database is shared by the run).
import assert from 'node:assert/strict';
import { apiLogin, call, login } from '../lib.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('../lib.mjs').T} T */

const desktop = { locale: 'en-US', viewport: { width: 1100, height: 720 } };
const chatList = (/** @type {Page} */ p) => p.getByRole('navigation', { name: 'Chat list' });
const entry = (/** @type {Page} */ p, /** @type {string | RegExp} */ name) => chatList(p).getByRole('link', { name });
const menu = (/** @type {Page} */ p) => p.getByRole('menu');

/** Opens a chat's menu with its visible "More" button. @param {Page} p @param {string} title */
async function more(p, title) {
  await p.getByRole('button', { name: `More actions for ${title}` }).click();
  await menu(p).waitFor();
}

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

      // The server agrees, and a reload shows the same.
      const listed = await call(base, me.token, 'GET', '/chats');
      const byId = (/** @type {number} */ id) => listed.find((/** @type {{id: number}} */ c) => c.id === id);
      assert.equal(byId(ids.pin)?.is_pinned, true);
      assert.equal(byId(ids.fav)?.is_favorite, true);
      assert.equal(byId(ids.mute)?.is_muted, true);
      assert.equal(byId(ids.archive), undefined);
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
      const after = await call(base, me.token, 'GET', '/chats');
      const again = (/** @type {number} */ id) => after.find((/** @type {{id: number}} */ c) => c.id === id);
      assert.equal(again(ids.pin)?.is_pinned, false);
      assert.equal(again(ids.mute)?.is_muted, false);
      assert.ok(again(ids.archive));
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
