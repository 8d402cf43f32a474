// Browser tests: Debian's Chromium driven by playwright-core against a private
// `chorus all` serving the built app (dist/). Prints `N passed, N failed` last.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const frontend = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(frontend, '..');
const results = join(frontend, 'test-results');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Another checkout's binary may serve this checkout's app (CHORUS_BIN).
const chorusBin = process.env.CHORUS_BIN ?? join(repo, 'target/debug/chorus');

// Every scenario of e2e/tests/*.mjs, in file order; E2E_ONLY (a regular
// expression over "file: name") runs a subset.
const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY, 'i') : null;
/** @type {{ name: string, run: (t: import('./lib.mjs').T) => Promise<void> }[]} */
const tests = [];
const testDir = join(frontend, 'e2e/tests');
for (const file of readdirSync(testDir).filter((f) => f.endsWith('.mjs')).sort()) {
  const module = await import(pathToFileURL(join(testDir, file)).href);
  for (const test of module.tests) {
    if (!only || only.test(`${file}: ${test.name}`)) tests.push(test);
  }
}

for (const [path, hint] of [
  [join(frontend, 'dist/index.html'), 'npm run build'],
  [chorusBin, 'cargo build -p chorus'],
  [executablePath, 'scripts/ensure-chromium.sh'],
]) {
  if (!existsSync(path)) {
    console.error(`browser tests: ${path} is missing (${hint})`);
    process.exit(2);
  }
}
mkdirSync(results, { recursive: true });

const server = await startServer({ repo, bin: chorusBin, webRoot: join(frontend, 'dist'), resultsDir: results });
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
    // A fake microphone that needs no permission prompt (voice messages).
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
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
