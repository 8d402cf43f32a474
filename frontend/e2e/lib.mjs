// Shared helpers of the browser scenarios (e2e/tests/*.mjs).
import assert from 'node:assert/strict';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {{ newPage: (o?: object) => Promise<Page>, base: string, shot: (p: Page, n: string) => Promise<unknown> }} T */

/**
 * A JSON call to the API (test set-up that is not what the test is about).
 * @param {string} base @param {string | null} token @param {string} method @param {string} path @param {unknown} [body]
 * @returns {Promise<any>}
 */
export async function call(base, token, method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const r = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${await r.clone().text()}`);
  return r.status === 204 ? null : r.json();
}

/** @param {string} base @param {string} username @returns {Promise<{ token: string, id: number }>} */
export async function apiLogin(base, username) {
  const answer = await call(base, null, 'POST', '/auth/login', { username, password: 'testpass' });
  return { token: answer.access_token, id: answer.user_id };
}

/** @param {Page} page @param {string} username @param {string} password */
export async function login(page, username, password) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Chat list' }).waitFor();
}

