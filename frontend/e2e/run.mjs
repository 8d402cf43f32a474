// Browser tests: Debian's Chromium driven by playwright-core against a private
// `chorus all` serving the built app (dist/). Prints `N passed, N failed` last.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
import { tests } from './tests.mjs';

const frontend = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(frontend, '..');
const results = join(frontend, 'test-results');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

for (const [path, hint] of [
  [join(frontend, 'dist/index.html'), 'npm run build'],
  [join(repo, 'target/debug/chorus'), 'cargo build -p chorus'],
  [executablePath, 'scripts/ensure-chromium.sh'],
]) {
  if (!existsSync(path)) {
    console.error(`browser tests: ${path} is missing (${hint})`);
    process.exit(2);
  }
}
mkdirSync(results, { recursive: true });

const server = await startServer({ repo, webRoot: join(frontend, 'dist'), resultsDir: results });
process.on('SIGINT', () => void server.stop().then(() => process.exit(130)));
// playwright gives every launch a fresh temporary profile (user-data-dir).
const browser = await chromium
  .launch({
  executablePath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
  })
  .catch(async (err) => {
    await server.stop();
    throw err;
  });

let passed = 0;
let failed = 0;
try {
  for (const test of tests) {
    const started = Date.now();
    /** @type {import('playwright-core').BrowserContext[]} */
    const contexts = [];
    /** @type {string[]} */
    const problems = [];
    const newPage = async (options = {}) => {
      const context = await browser.newContext({ baseURL: server.base, ...options });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        console.log(`  [console] ${msg.text()}`);
        if (/Content.Security.Policy|Refused to/i.test(msg.text())) problems.push(`CSP: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
      return page;
    };
    try {
      await test.run({
        newPage,
        base: server.base,
        shot: (page, name) => page.screenshot({ path: join(results, `${name}.png`) }),
      });
      if (problems.length > 0) throw new Error(problems.join('\n'));
      passed++;
      console.log(`ok   ${test.name} (${Date.now() - started} ms)`);
    } catch (err) {
      failed++;
      console.log(`FAIL ${test.name} (${Date.now() - started} ms)\n  ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      for (const [i, context] of contexts.entries()) {
        for (const [j, page] of context.pages().entries()) {
          await page.screenshot({ path: join(results, `failed-${test.name.replace(/\W+/g, '-')}-${i}-${j}.png`) }).catch(() => undefined);
        }
      }
    } finally {
      for (const context of contexts) await context.close().catch(() => undefined);
    }
  }
} finally {
  await browser.close().catch(() => undefined);
  await server.stop();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
