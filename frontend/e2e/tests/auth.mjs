// Browser scenarios: accounts. Controls are found by role and label, as a person would.
import assert from 'node:assert/strict';
import { login } from '../lib.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('../lib.mjs').T} T */

export const tests = [
  {
    name: 'register, log in, stay logged in across a reload, log out',
    /** @param {T} t */
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

      // The browser's language picks the app's.
      const ru = await newPage({ locale: 'ru-RU' });
      await ru.goto('/login');
      await ru.getByRole('button', { name: 'Войти' }).waitFor();
      await ru.getByLabel('Имя пользователя').waitFor();
      assert.equal(await ru.evaluate('document.documentElement.lang'), 'ru');
      await shot(ru, 'login-ru');
    },
  },
];
