// The desktop app test (`make test-desktop`): the built Tauri app under Xvfb,
// driven by tauri-driver + WebKitWebDriver over plain W3C WebDriver calls, against
// a private `chorus all`. First start (server address), login, a message from
// another user (sent through the API) shows up, one typed in the app reaches the
// API. Leaves a screenshot in test-results/desktop/. Exit status 0 = passed.
import assert from 'node:assert/strict';
import { execSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiLogin, call } from './lib.mjs';
import { startServer } from './server.mjs';

const frontend = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(frontend, '..');
const results = join(frontend, 'test-results/desktop');
const app = process.env.CHORUS_DESKTOP_BIN ?? join(frontend, 'src-tauri/target/release/chorus-desktop');
const chorusBin = process.env.CHORUS_BIN ?? join(repo, 'target/debug/chorus');
const tauriDriver = process.env.TAURI_DRIVER ?? join(frontend, 'src-tauri/target/tools/bin/tauri-driver');
const webDriver = process.env.WEBKIT_WEBDRIVER ?? '/usr/bin/WebKitWebDriver';
const ELEMENT = 'element-6066-11e4-a52f-4a8c6fd0cce8';

for (const [path, hint] of [
  [app, 'make desktop'],
  [chorusBin, 'cargo build -p chorus'],
  [tauriDriver, 'make test-desktop installs it'],
  [webDriver, 'scripts/ensure-desktop.sh'],
]) {
  if (!existsSync(path)) {
    console.error(`desktop test: ${path} is missing (${hint})`);
    process.exit(2);
  }
}
mkdirSync(results, { recursive: true });

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
    srv.on('error', reject);
  });
}

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/** @type {(() => Promise<void> | void)[]} */
const cleanups = [];
async function cleanup() {
  for (const step of cleanups.reverse()) {
    try {
      await step();
    } catch {
      // best effort
    }
  }
}
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

/** @param {string} name @param {string} bin @param {string[]} args @param {NodeJS.ProcessEnv} env */
function start(name, bin, args, env) {
  const log = openSync(join(results, `${name}.log`), 'w');
  const child = spawn(bin, args, { stdio: ['ignore', log, log], env });
  cleanups.push(() => {
    child.kill('SIGTERM');
  });
  return child;
}

const started = Date.now();
let exitCode = 1;
try {
  const server = await startServer({ repo, bin: chorusBin, webRoot: join(frontend, 'dist'), resultsDir: results });
  cleanups.push(() => server.stop());

  // A display of our own, and a home of our own: the app's config (its server
  // address, window state) starts empty, as on a first start.
  const display = `:${90 + Math.floor(Math.random() * 100)}`;
  start('xvfb', 'Xvfb', [display, '-screen', '0', '1280x860x24', '-nolisten', 'tcp'], process.env);
  const home = mkdtempSync(join(tmpdir(), 'chorus-desktop-'));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  // A home as a desktop session has it (the autostart plugin writes into
  // ~/.config/autostart but creates only that last directory).
  mkdirSync(join(home, '.config'));
  // The "browser": links the app hands out land in a file.
  mkdirSync(join(home, 'bin'));
  writeFileSync(join(home, 'bin/xdg-open'), '#!/bin/sh\necho "$1" >> "$HOME/opened.txt"\n', { mode: 0o755 });
  const env = {
    ...process.env,
    PATH: `${join(home, 'bin')}:${process.env.PATH}`,
    DISPLAY: display,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local/share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    NO_AT_BRIDGE: '1',
    ...(process.env.DESKTOP_NO_COMPOSITING ? { WEBKIT_DISABLE_COMPOSITING_MODE: '1' } : {}),
  };
  await sleep(500);

  const port = await freePort();
  const nativePort = await freePort();
  start('tauri-driver', tauriDriver, ['--port', String(port), '--native-port', String(nativePort), '--native-driver', webDriver], env);
  const wd = `http://127.0.0.1:${port}`;

  /** @param {string} method @param {string} path @param {unknown} [body] @returns {Promise<any>} */
  async function w(method, path, body, ms = 60_000) {
    const r = await fetch(`${wd}${path}`, {
      method,
      signal: AbortSignal.timeout(ms),
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = /** @type {{ value: any }} */ (await r.json());
    if (!r.ok) throw new Error(`WebDriver ${method} ${path}: ${r.status} ${JSON.stringify(answer.value).slice(0, 400)}`);
    return answer.value;
  }

  let session = null;
  for (let i = 0; i < 50 && !session; i++) {
    try {
      session = await w('POST', '/session', { capabilities: { alwaysMatch: { 'tauri:options': { application: app } } } });
    } catch (e) {
      if (i === 49) throw e;
      await sleep(200);
    }
  }
  const sid = session.sessionId;
  cleanups.push(() => w('DELETE', `/session/${sid}`).then(() => undefined));
  const s = `/session/${sid}`;

  /** @param {string} script @param {unknown[]} [args] */
  const run = (script, args = []) => w('POST', `${s}/execute/sync`, { script, args });
  /** Polls a script until it answers truthy. @param {string} what @param {string} script @param {unknown[]} [args] */
  async function until(what, script, args = [], ms = 20_000) {
    const end = Date.now() + ms;
    for (;;) {
      const value = await run(script, args).catch(() => null);
      if (value) return value;
      if (Date.now() > end) {
        await shot('failed');
        throw new Error(`timed out waiting for ${what}`);
      }
      await sleep(200);
    }
  }
  /** @param {string} css */
  async function find(css) {
    await until(css, 'return !!document.querySelector(arguments[0])', [css]);
    const found = await w('POST', `${s}/element`, { using: 'css selector', value: css });
    return found[ELEMENT] ?? Object.values(found)[0];
  }
  /** @param {string} css @param {string} text */
  async function type(css, text) {
    const el = await find(css);
    await w('POST', `${s}/element/${el}/clear`, {});
    await w('POST', `${s}/element/${el}/value`, { text });
  }
  /** @param {string} css */
  async function click(css) {
    await w('POST', `${s}/element/${await find(css)}/click`, {});
  }
  /** The page as WebKitWebDriver renders it, and the X display as it shows it. @param {string} name */
  async function shot(name) {
    const png = await w('GET', `${s}/screenshot`, undefined, 20_000);
    const path = join(results, `${name}.png`);
    writeFileSync(path, Buffer.from(png, 'base64'));
    try {
      execSync(`xwd -root -silent -display ${display} | xwdtopnm 2>/dev/null | pnmtopng > ${join(results, `${name}-x11.png`)}`);
    } catch {
      // x11-apps or netpbm missing: the WebDriver screenshot only
    }
    return path;
  }
  const step = (/** @type {string} */ text) => console.log(`desktop: ${text} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  // 1. First start: the server address page; a wrong address is refused first.
  step('app started');
  await type('input[name=server]', 'http://127.0.0.1:1');
  await click('form button[type=submit]');
  const refusal = await until('the refusal', 'return document.querySelector("form [role=alert]")?.textContent');
  assert.match(refusal, /does not answer/);
  await sleep(1000);
  await shot('server-refused');
  await type('input[name=server]', server.base);
  await click('form button[type=submit]');
  step('server address accepted');

  // 2. Login.
  await type('input[name=username]', 'alice');
  await type('input[name=password]', 'testpass');
  await click('form button[type=submit]');
  await until('the chat list', 'return !!document.querySelector("nav[aria-label=\'Chat list\']")');
  step('logged in');
  // The app's WebSocket (tauri://localhost → ws://server/ws) is open: the server counts it.
  const sockets = async () => {
    const text = await (await fetch(`${server.base}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith('messenger_ws_connections_active '))
      .reduce((n, line) => n + Number(line.split(' ')[1]), 0);
  };
  for (let i = 0; i < 100 && (await sockets()) < 1; i++) await sleep(100);
  assert.ok((await sockets()) >= 1, 'the app holds a WebSocket to the server');
  step('its WebSocket is open');

  // What the webview may call: the tray's command, yes; the HTTP plugin outside the
  // chosen server, or a plugin it was not granted (the store), no.
  /** @param {string} cmd @param {object} args */
  const invoke = (cmd, args) =>
    w('POST', `${s}/execute/async`, {
      script: `const done = arguments[arguments.length - 1];
        window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(() => done('ok'), (e) => done('refused: ' + String(e)));`,
      args: [cmd, args],
    });
  assert.equal(await invoke('set_unread', { count: 3, texts: { tooltip: 'Chorus — 3', show: 'S', hide: 'H', quit: 'Q' } }), 'ok');
  const outside = await invoke('plugin:http|fetch', {
    clientConfig: { method: 'GET', url: 'http://127.0.0.1:1/elsewhere', headers: [], data: null },
  });
  assert.match(outside, /^refused: .*(not allowed|scope)/i, outside);
  const store = await invoke('plugin:store|load', { path: 'settings.json' });
  assert.match(store, /^refused: .*not allowed/i, store);
  step(`capabilities: the tray command allowed; fetch outside the server (${outside}) and the store (${store}) refused`);

  // 3. Bob writes through the API; alice's window shows it.
  const bob = await apiLogin(server.base, 'bob');
  const chats = await call(server.base, bob.token, 'GET', '/chats');
  const list = Array.isArray(chats) ? chats : chats.chats ?? chats.items;
  const devTeam = list.find((/** @type {any} */ c) => c.name === 'Dev Team' || c.title === 'Dev Team');
  assert.ok(devTeam, 'the demo data has the Dev Team chat');
  await until(
    'the Dev Team link',
    `const a = [...document.querySelectorAll("nav[aria-label='Chat list'] a")].find((a) => a.textContent.includes('Dev Team'));
     if (a) a.click();
     return !!a;`,
  );
  await find('[role=log][aria-label=Messages]');
  const fromBob = `hello from bob ${Date.now()}`;
  await call(server.base, bob.token, 'POST', `/chats/${devTeam.id}/messages`, { content: fromBob });
  await until('bob\'s message', 'return document.querySelector("[role=log]")?.innerText.includes(arguments[0])', [fromBob]);
  step('a message sent through the API showed up');

  // 3b. A link in a message opens in the browser, not in the app's window.
  const link = `https://example.org/chorus-${Date.now()}`;
  await call(server.base, bob.token, 'POST', `/chats/${devTeam.id}/messages`, { content: `see ${link}` });
  await click(`[role=log] a[href="${link}"]`);
  const opened = join(home, 'opened.txt');
  for (let i = 0; i < 50 && !(existsSync(opened) && readFileSync(opened, 'utf8').includes(link)); i++) await sleep(100);
  assert.ok(existsSync(opened) && readFileSync(opened, 'utf8').includes(link), 'the link went to the browser');
  assert.equal(await run('return location.protocol + location.pathname'), `tauri:/c/${devTeam.id}`);
  // Any other way out of the app (here the page itself navigating) goes there too.
  const away = `https://example.org/away-${Date.now()}`;
  await run('setTimeout(() => { location.href = arguments[0]; }, 0); return true', [away]);
  for (let i = 0; i < 50 && !readFileSync(opened, 'utf8').includes(away); i++) await sleep(100);
  assert.ok(readFileSync(opened, 'utf8').includes(away), 'a navigation away went to the browser');
  assert.equal(await run('return location.protocol + location.pathname'), `tauri:/c/${devTeam.id}`);
  step('a link in a message, and a navigation away, opened in the browser; the window stayed');

  // 4. Alice answers from the app; the API has it.
  const fromApp = `hello from the desktop ${Date.now()}`;
  await type('textarea[aria-label=Message]', `${fromApp}\uE007`);
  let seen = false;
  for (let i = 0; i < 100 && !seen; i++) {
    const page = await call(server.base, bob.token, 'GET', `/chats/${devTeam.id}/messages?limit=20`);
    const messages = Array.isArray(page) ? page : page.messages ?? page.items ?? [];
    seen = messages.some((/** @type {any} */ m) => m.content === fromApp);
    if (!seen) await sleep(200);
  }
  assert.ok(seen, 'the message typed in the app reached the API');
  await until('the sent message in the window', 'return document.querySelector("[role=log]")?.innerText.includes(arguments[0])', [fromApp]);
  step('a message typed in the app reached the API');
  await sleep(500); // WebKitWebDriver's snapshot can trail the last paint
  console.log(`desktop: screenshot ${await shot('desktop')}`);

  // 5. A second launch with a chorus:// link: it exits, and this window opens the
  //    direct chat with bob (single instance over the D-Bus session bus).
  if (process.env.DBUS_SESSION_BUS_ADDRESS) {
    const before = await run('return location.pathname');
    const second = spawn(app, [`chorus://dm/${bob.id}`], { env, stdio: 'ignore' });
    const code = await new Promise((resolve) => second.on('exit', resolve));
    assert.equal(code, 0, 'the second instance hands over and exits');
    const path = await until('the direct chat', `return location.pathname !== arguments[0] && location.pathname.startsWith('/c/') && location.pathname`, [before]);
    const direct = await call(server.base, bob.token, 'GET', `/chats/${path.split('/')[2]}`);
    assert.equal(direct.type, 'direct');
    step(`chorus://dm/${bob.id} from a second launch opened ${path}`);
    await sleep(500);
    await shot('deep-link');

    // 6. A native notification (through a stand-in notification daemon that clicks
    //    it) opens its chat in the window.
    const notes = spawn('/usr/bin/python3', [join(frontend, 'e2e/fake-notifications.py')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => {
      notes.kill('SIGTERM');
    });
    /** @type {any[]} */
    const shown = [];
    let buffered = '';
    notes.stdout.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) shown.push(JSON.parse(line));
    });
    for (let i = 0; i < 50 && !shown.some((n) => n.ready); i++) await sleep(100);
    assert.ok(shown.some((n) => n.ready), 'the stand-in notification daemon is on the bus');
    assert.equal(await invoke('notify', { title: 'Dev Team', body: fromBob, chatId: devTeam.id }), 'ok');
    await until('the chat opened by the notification', 'return location.pathname === arguments[0]', [`/c/${devTeam.id}`]);
    const note = shown.find((n) => n.summary === 'Dev Team');
    assert.ok(note && note.body === fromBob && note.actions.includes('default'), JSON.stringify(shown));
    step(`a native notification, clicked, opened /c/${devTeam.id}`);
  } else {
    console.log('desktop: no D-Bus session bus (run under dbus-run-session): the link and notification steps are skipped');
  }

  // 7. Settings: the desktop panel shows the server; start at login is off until
  //    turned on, which writes the autostart entry; no "Download the app" here.
  await click('a.account');
  const shownServer = await until('the desktop settings', 'return document.querySelector("[data-testid=server-address]")?.textContent');
  assert.equal(shownServer, server.base);
  assert.equal(await run('return document.querySelector("#downloads-title")'), null, 'no download entry inside the app');
  const autostartEntry = join(env.XDG_CONFIG_HOME, 'autostart');
  assert.equal(existsSync(autostartEntry) && readdirSync(autostartEntry).length > 0, false, 'start at login is off by default');
  await until('the autostart state', 'return document.querySelector("#desktop-title") && !document.querySelector("section[aria-labelledby=desktop-title] input[type=checkbox]").checked');
  await click('section[aria-labelledby=desktop-title] input[type=checkbox]');
  for (let i = 0; i < 50 && !(existsSync(autostartEntry) && readdirSync(autostartEntry).length > 0); i++) await sleep(100);
  assert.ok(existsSync(autostartEntry) && readdirSync(autostartEntry).length > 0, `turning it on writes the autostart entry: ${await run('return document.querySelector("section[aria-labelledby=desktop-title]").innerText')}`);
  await sleep(500);
  await shot('settings');
  step(`settings: server ${shownServer}, start at login turned on (${readdirSync(autostartEntry).join(', ')})`);
  exitCode = 0;
} catch (e) {
  console.error('desktop test failed:', e);
} finally {
  await cleanup();
}
console.log(`desktop test ${exitCode === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(exitCode);
