// The web app's benchmark (`npm run bench`, `make bench-web`): figures, never a
// threshold. Starts its own `chorus all` (e2e/server.mjs) serving dist/, seeds a
// user with 500 chats and a 10 000-message chat through the API, then measures in
// headless Chromium: initial JS+CSS (gzipped), time to an interactive chat list,
// time to open a chat with its last 50 messages, frames dropped and DOM size while
// scrolling the 10 000 messages, and the JS heap afterwards.
// CHORUS_BIN picks the server binary (default: target/release/chorus when built,
// else target/debug/chorus); BENCH_CHATS and BENCH_MESSAGES change the sizes.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startServer } from '../e2e/server.mjs';
import { pool, request, seedMessages } from './seed.mjs';

const frontend = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(frontend, '..');
const dist = join(frontend, 'dist');
const results = join(frontend, 'test-results');
const release = join(repo, 'target/release/chorus');
const chorusBin = process.env.CHORUS_BIN ?? (existsSync(release) ? release : join(repo, 'target/debug/chorus'));
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHATS = Number(process.env.BENCH_CHATS ?? 500);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const BUDGET_KIB = 250;
/** Pixels scrolled per animation frame: a fast fling through the history. */
const SCROLL_STEP = 300;

for (const [path, hint] of [
  [join(dist, 'index.html'), 'npx vite build'],
  [chorusBin, 'cargo build -p chorus (or set CHORUS_BIN)'],
  [executablePath, 'scripts/ensure-chromium.sh'],
]) {
  if (!existsSync(path)) {
    console.error(`bench: ${path} is missing (${hint})`);
    process.exit(2);
  }
}
mkdirSync(results, { recursive: true });

/** @type {[string, string][]} */
const figures = [];
function figure(/** @type {string} */ name, /** @type {string} */ value) {
  figures.push([name, value]);
  console.log(`  ${name}: ${value}`);
}
const kib = (/** @type {number} */ bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (/** @type {number} */ t) => `${Math.round(t)} ms`;
const gzipped = (/** @type {string} */ file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;

// 1. What index.html loads before anything else: its scripts, styles and preloads.
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] ?? '');
const initialBytes = initial.reduce((n, f) => n + gzipped(f), 0);
const allAssets = readdirSync(join(dist, 'assets')).filter((f) => /\.(js|css)$/.test(f));
const allBytes = allAssets.reduce((n, f) => n + gzipped(`assets/${f}`), 0);
console.log('bundle');
figure('initial JS+CSS (index.html), gzipped', `${kib(initialBytes)} (${initial.length} files; budget ${BUDGET_KIB} KiB)`);
figure('all JS+CSS in dist, gzipped', `${kib(allBytes)} (${allAssets.length} files)`);

console.log(`server: ${chorusBin}`);
const server = await startServer({ repo, bin: chorusBin, webRoot: dist, resultsDir: results });
let browser = null;
try {
  const base = server.base;
  // 2. Seeding: a user of its own with CHATS chats, one of them MESSAGES long.
  const started = Date.now();
  const username = `bench${process.pid}`;
  await request(base, '', 'POST', '/auth/register', { username, email: `${username}@example.test`, password: 'benchpass1' });
  const login = await request(base, '', 'POST', '/auth/login', { username, password: 'benchpass1' });
  const bob = await request(base, '', 'POST', '/auth/login', { username: 'bob', password: 'testpass' });
  const token = login.access_token;
  const me = login.user_id;
  await pool(CHATS - 1, 16, async (i) => {
    const chat = await request(base, token, 'POST', '/chats', { type: 'group', title: `Bench chat ${i + 1}`, member_ids: [bob.user_id] });
    await request(base, token, 'POST', `/chats/${chat.id}/messages`, { content: `hello from chat ${i + 1}` });
  });
  const long = await request(base, bob.access_token, 'POST', '/chats', { type: 'group', title: 'Bench history', member_ids: [me] });
  console.log(`seeding ${CHATS} chats and ${MESSAGES} messages…`);
  const ids = await seedMessages(base, bob.access_token, long.id, MESSAGES, (i) => `bench message ${i}`, 16);
  await request(base, token, 'POST', `/chats/${long.id}/read`);
  let newest = 1;
  for (let i = 1; i < ids.length; i++) if ((ids[i] ?? 0) > (ids[newest] ?? 0)) newest = i;
  console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--enable-precise-memory-info'],
  });
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  await context.addInitScript(
    ([access, refresh]) => /** @type {any} */ (globalThis).localStorage.setItem('chorus.tokens', JSON.stringify({ access, refresh })),
    [token, login.refresh_token],
  );
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');

  // 3. Navigation → a chat list with every chat, clickable.
  console.log('browser');
  await page.goto('/app', { waitUntil: 'commit' });
  const listMs = await page.evaluate(async (chats) => {
    const g = /** @type {any} */ (globalThis);
    const doc = g.document;
    for (;;) {
      const links = doc.querySelectorAll('nav[aria-label="Chat list"] a');
      if (links.length >= chats) return g.performance.now();
      await new Promise((r) => g.requestAnimationFrame(r));
    }
  }, CHATS);
  figure(`navigation → interactive chat list (${CHATS} chats)`, ms(listMs));
  const loaded = await page.evaluate(() =>
    /** @type {any} */ (globalThis).performance
      .getEntriesByType('resource')
      .map((/** @type {{ name: string }} */ e) => new URL(e.name).pathname.replace(/^\//, ''))
      .filter((/** @type {string} */ p) => /^assets\/.+\.(js|css)$/.test(p)),
  );
  const screenBytes = [...new Set(loaded)].reduce((n, f) => n + (existsSync(join(dist, f)) ? gzipped(f) : 0), 0);
  figure('JS+CSS loaded for the chat screen, gzipped', `${kib(screenBytes)} (${new Set(loaded).size} files)`);

  // 4. Click the long chat → its newest message shown (the last page of 50).
  const openMs = await page.evaluate(async (text) => {
    const g = /** @type {any} */ (globalThis);
    const doc = g.document;
    const link = [...doc.querySelectorAll('nav[aria-label="Chat list"] a')].find((a) => a.textContent?.includes('Bench history'));
    if (!link) throw new Error('no Bench history link');
    const t0 = g.performance.now();
    /** @type {any} */ (link).click();
    for (;;) {
      const log = doc.querySelector('[role="log"]');
      const shown = [...(log?.querySelectorAll('article') ?? [])].some((a) => a.textContent?.includes(text));
      if (shown) return g.performance.now() - t0;
      await new Promise((r) => g.requestAnimationFrame(r));
    }
  }, `bench message ${newest}`);
  figure('open a chat → its last 50 messages shown', ms(openMs));
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(results, 'bench-chat.png') });

  // 5. Scroll: up through the whole history (pages load on the way), then down again
  // with all of it loaded. Frames are counted by requestAnimationFrame; an interval of
  // n frame budgets (16.7 ms) counts n - 1 dropped frames.
  const scroll = (/** @type {'up' | 'down'} */ direction) =>
    page.evaluate(
      async ({ direction, step, limitMs }) => {
        const g = /** @type {any} */ (globalThis);
        const doc = g.document;
        const log = /** @type {any} */ (doc.querySelector('[role="log"]'));
        const frame = () => new Promise((r) => g.requestAnimationFrame(r));
        const done = () =>
          direction === 'up'
            ? log.scrollTop === 0 && [...log.querySelectorAll('p')].some((p) => p.textContent?.includes('beginning of the chat'))
            : log.scrollTop + log.clientHeight >= log.scrollHeight - 2;
        let frames = 0;
        let dropped = 0;
        let worst = 0;
        let maxNodes = 0;
        let maxRows = 0;
        let nodeSum = 0;
        const t0 = g.performance.now();
        let last = await frame().then(() => g.performance.now());
        while (!done() && g.performance.now() - t0 < limitMs) {
          log.scrollBy(0, direction === 'up' ? -step : step);
          await frame();
          const now = g.performance.now();
          const interval = now - last;
          last = now;
          frames += 1;
          dropped += Math.max(0, Math.round(interval / (1000 / 60)) - 1);
          worst = Math.max(worst, interval);
          const nodes = doc.getElementsByTagName('*').length;
          nodeSum += nodes;
          maxNodes = Math.max(maxNodes, nodes);
          maxRows = Math.max(maxRows, log.querySelectorAll('article').length);
        }
        return {
          ms: g.performance.now() - t0,
          frames,
          dropped,
          worst,
          maxNodes,
          meanNodes: nodeSum / Math.max(1, frames),
          maxRows,
          reached: done(),
        };
      },
      { direction, step: SCROLL_STEP, limitMs: 600_000 },
    );
  const metrics = async () =>
    Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  for (const direction of /** @type {const} */ (['up', 'down'])) {
    const m0 = await metrics();
    const r = await scroll(direction);
    const m1 = await metrics();
    // Main-thread work per frame: the app's own cost, apart from a busy machine's.
    const per = (/** @type {string} */ key) => ((1000 * (m1[key] - m0[key])) / Math.max(1, r.frames)).toFixed(1);
    const what = direction === 'up' ? `scroll up through ${MESSAGES} messages (loading pages)` : `scroll down through ${MESSAGES} loaded messages`;
    figure(
      what,
      `${(r.ms / 1000).toFixed(1)} s, ${r.frames} frames, ${r.dropped} dropped (${((100 * r.dropped) / Math.max(1, r.frames + r.dropped)).toFixed(1)} %), worst frame ${Math.round(r.worst)} ms${r.reached ? '' : ', did NOT reach the end'}`,
    );
    figure(`  main thread per frame scrolling ${direction}`, `script ${per('ScriptDuration')} ms, layout ${per('LayoutDuration')} ms, style ${per('RecalcStyleDuration')} ms`);
    figure(`  DOM while scrolling ${direction}`, `max ${r.maxNodes} elements (mean ${Math.round(r.meanNodes)}), max ${r.maxRows} message rows`);
  }
  await page.screenshot({ path: join(results, 'bench-scrolled.png') });

  // 6. The JS heap after the scroll, with the whole history in memory (after a GC too).
  const before = await metrics();
  await cdp.send('HeapProfiler.collectGarbage');
  const after = await metrics();
  const memory = await page.evaluate(() => /** @type {any} */ (globalThis).performance.memory?.usedJSHeapSize ?? 0);
  figure('JS heap after the scroll', `${(before.JSHeapUsedSize / 2 ** 20).toFixed(1)} MiB used (${(after.JSHeapUsedSize / 2 ** 20).toFixed(1)} MiB after GC; performance.memory ${(memory / 2 ** 20).toFixed(1)} MiB)`);
  figure('DOM nodes after the scroll (CDP Nodes)', String(after.Nodes));

  writeFileSync(join(results, 'bench.json'), `${JSON.stringify(Object.fromEntries(figures), null, 2)}\n`);
  console.log('\nfigures');
  for (const [name, value] of figures) console.log(`${name.trim().padEnd(58)} ${value}`);
} finally {
  await browser?.close().catch(() => undefined);
  await server.stop();
}
