// The browser scenarios. Controls are found by role and label, as a person would.
import assert from 'node:assert/strict';

/** @typedef {import('playwright-core').Page} Page */

/** @param {Page} page @param {string} username @param {string} password */
async function login(page, username, password) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Chat list' }).waitFor();
}

export const tests = [
  {
    name: 'register, log in, stay logged in across a reload, log out',
    /** @param {{ newPage: (o?: object) => Promise<Page>, shot: (p: Page, n: string) => Promise<unknown> }} t */
    async run({ newPage, shot }) {
      const page = await newPage({ locale: 'en-US', viewport: { width: 1100, height: 720 } });
      await page.goto('/');
      await page.getByRole('button', { name: 'Log in' }).waitFor();
      assert.match(page.url(), /\/login$/);
      await shot(page, 'login');

      // A wrong password shows the contract's text inline.
      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Password').fill('wrong-password');
      await page.getByRole('button', { name: 'Log in' }).click();
      assert.equal(await page.getByRole('alert').textContent(), 'Invalid credentials');

      await page.getByRole('link', { name: 'Create account' }).click();
      const name = `web${Date.now().toString(36)}`;
      await page.getByLabel('Username').fill('ab');
      await page.getByLabel('Email').fill(`${name}@example.org`);
      await page.getByLabel('Password').fill('long-enough-pw');
      await page.getByRole('button', { name: 'Create account' }).click();
      assert.equal(await page.getByRole('alert').textContent(), 'Username must be 3–32 characters');

      await page.getByLabel('Username').fill(name);
      await page.getByLabel('Display name (optional)').fill('Web Tester');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('navigation', { name: 'Chat list' }).waitFor();
      await page.getByText('Web Tester').waitFor();

      await page.reload();
      await page.getByRole('navigation', { name: 'Chat list' }).waitFor();
      await page.getByText('Web Tester').waitFor();
      assert.match(page.url(), /\/app$/);

      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('button', { name: 'Log in' }).waitFor();
      await page.reload();
      await page.getByRole('button', { name: 'Log in' }).waitFor();
      assert.equal(await page.evaluate("localStorage.getItem('chorus.tokens')"), null);

      await login(page, name, 'long-enough-pw');
    },
  },
  {
    name: 'alice and bob see each other\'s messages live in Dev Team',
    /** @param {{ newPage: (o?: object) => Promise<Page>, shot: (p: Page, n: string) => Promise<unknown> }} t */
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
];
