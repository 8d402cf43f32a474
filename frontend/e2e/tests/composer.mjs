/// <reference lib="dom" />
// Browser scenarios of the composer: attachments (picker, drag-and-drop, paste,
// progress, cancel), images for both users and the lightbox, file downloads, voice
// messages on a fake microphone, stickers, the offline outbox and drafts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import { login } from '../lib.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('../lib.mjs').T} T */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
/** @param {Buffer} buf */
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
/** A real PNG: a colour gradient with noise (so it does not compress to nothing). */
/** @param {number} width @param {number} height */
function png(width, height) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    for (let x = 0; x < width; x++) {
      const at = y * (width * 3 + 1) + 1 + x * 3;
      raw[at] = (x * 255) / width;
      raw[at + 1] = (y * 255) / height;
      raw[at + 2] = Math.floor(Math.random() * 256);
    }
  }
  /** @param {string} type @param {Buffer} data */
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** No serious or critical axe-core violations on what the page shows now (evaluate is not subject to the CSP).
 * @param {Page} page @param {string} what */
async function noSeriousA11yProblems(page, what) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await /** @type {any} */ (window).axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((/** @type {any} */ v) => v.impact === 'serious' || v.impact === 'critical')
      .map((/** @type {any} */ v) => `${v.id}: ${v.nodes.map((/** @type {any} */ n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, [], `axe (${what})`);
}

/** @param {Page} page */
async function openDevTeam(page) {
  await page.getByRole('navigation', { name: 'Chat list' }).getByRole('link', { name: /Dev Team/ }).click();
  const log = page.getByRole('log', { name: 'Messages' });
  await log.waitFor();
  return log;
}

/** @param {Page} page @param {number | null} bytesPerSecond (null: no limit) */
async function throttleUpload(page, bytesPerSecond) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond ?? -1,
  });
}

/** @param {import('playwright-core').Locator} img */
async function rendered(img) {
  await img.waitFor();
  await img.evaluate((el) =>
    /** @type {HTMLImageElement} */ (el).complete && /** @type {HTMLImageElement} */ (el).naturalWidth > 0
      ? null
      : new Promise((resolve, reject) => {
          el.addEventListener('load', resolve, { once: true });
          el.addEventListener('error', () => reject(new Error(`image failed: ${/** @type {HTMLImageElement} */ (el).src}`)), { once: true });
        }),
  );
  return img.evaluate((el) => /** @type {HTMLImageElement} */ (el).naturalWidth);
}

export const tests = [
  {
    name: 'composer: images and files upload with progress, render for both users, download, and open in a lightbox',
    /** @param {T} t */
    async run({ newPage, shot }) {
      const alice = await newPage({ locale: 'en-US', viewport: { width: 1100, height: 720 } });
      const bob = await newPage({ locale: 'en-US', viewport: { width: 360, height: 740 } });
      await login(alice, 'alice', 'testpass');
      await login(bob, 'bob', 'testpass');
      const aliceLog = await openDevTeam(alice);
      const bobLog = await openDevTeam(bob);
      const stamp = Date.now();
      const picture = { name: `pic-${stamp}.png`, mimeType: 'image/png', buffer: png(320, 240) };
      const report = { name: `report-${stamp}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`quarterly numbers ${stamp}\n`.repeat(8000)) };

      // The attach menu opens on screen, even at 360 px.
      await bob.getByRole('button', { name: 'Attach files' }).click();
      const menu = bob.getByRole('menu', { name: 'Attach files' });
      await noSeriousA11yProblems(bob, 'attach menu open');
      const box = await menu.boundingBox();
      assert.ok(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= 360 && box.y + box.height <= 740, `menu on screen: ${JSON.stringify(box)}`);
      await bob.keyboard.press('Escape');
      await menu.waitFor({ state: 'detached' });
      assert.equal(await bob.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Attach files');

      // Two files at once through the picker, uploading slowly: progress, then send with a caption.
      await throttleUpload(alice, 120 * 1024);
      await alice.getByRole('button', { name: 'Attach files' }).click();
      const chooser = alice.waitForEvent('filechooser');
      await alice.getByRole('menuitem', { name: 'File' }).click();
      await (await chooser).setFiles([picture, report]);
      const progress = alice.getByRole('progressbar', { name: `Uploading ${report.name}` });
      await progress.waitFor();
      await alice.waitForTimeout(700);
      await shot(alice, 'composer-uploading');
      await noSeriousA11yProblems(alice, 'uploads in progress');
      await alice.getByRole('textbox', { name: 'Message' }).fill(`photo and report ${stamp}`);
      await alice.getByRole('textbox', { name: 'Message' }).press('Enter');
      await progress.waitFor({ state: 'detached', timeout: 20_000 });
      await throttleUpload(alice, null);

      // The image is an image for the sender and for the other member, with the server's link.
      for (const log of [aliceLog, bobLog]) {
        const img = log.getByRole('button', { name: `Open image ${picture.name}` }).locator('img');
        assert.equal(await rendered(img), 320);
        await log.getByText(`photo and report ${stamp}`).waitFor();
      }
      await alice.waitForFunction(
        (name) => Array.from(document.querySelectorAll("img")).some((i) => i.alt === name && i.src.startsWith('http')),
        picture.name,
      );
      // The file's download link comes without a reload (the 201 is short: echo/catch-up).
      for (const [page, log] of [[alice, aliceLog], [bob, bobLog]]) {
        const link = /** @type {import('playwright-core').Page} */ (page) && log.getByRole('link', { name: `Download ${report.name}` });
        await link.waitFor();
        const href = await link.getAttribute('href');
        assert.ok(href && /^https?:/.test(href), `download link: ${href}`);
        const answer = await /** @type {Page} */ (page).request.get(href);
        assert.equal(answer.status(), 200);
        assert.equal((await answer.body()).toString(), report.buffer.toString());
      }
      assert.equal(await aliceLog.getByRole('link', { name: `Download ${report.name}` }).count(), 1, 'sent once');
      await shot(bob, 'composer-image-360');

      // Lightbox: opens, Esc closes, focus returns to the image.
      const opener = bobLog.getByRole('button', { name: `Open image ${picture.name}` });
      await opener.click();
      const viewer = bob.getByRole('dialog', { name: 'Image viewer' });
      await viewer.waitFor();
      assert.ok((await rendered(viewer.locator('img'))) > 0);
      await shot(bob, 'composer-lightbox');
      await noSeriousA11yProblems(bob, 'lightbox');
      await bob.keyboard.press('Escape');
      await viewer.waitFor({ state: 'detached' });
      assert.equal(await bob.evaluate(() => document.activeElement?.getAttribute('aria-label')), `Open image ${picture.name}`);

      // Drag-and-drop onto the chat and paste into the box attach files too; cancel drops one.
      await bob.evaluate((name) => {
        const dt = new DataTransfer();
        dt.items.add(new File([`dropped ${name}`], name, { type: 'text/plain' }));
        window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
        window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, `dropped-${stamp}.txt`);
      await bob.getByRole('list', { name: 'Attachments' }).getByText(`dropped-${stamp}.txt`).waitFor();
      await bob.getByRole('textbox', { name: 'Message' }).evaluate((el, name) => {
        const dt = new DataTransfer();
        dt.items.add(new File(['pasted'], name, { type: 'text/plain' }));
        el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      }, `pasted-${stamp}.txt`);
      const tray = bob.getByRole('list', { name: 'Attachments' });
      await tray.getByText(`pasted-${stamp}.txt`).waitFor();
      await tray.getByRole('button', { name: new RegExp(`(Cancel upload of|Remove) pasted-${stamp}.txt`) }).click();
      await tray.getByText(`pasted-${stamp}.txt`).waitFor({ state: 'detached' });
      await bob.getByRole('button', { name: 'Send' }).click();
      await aliceLog.getByRole('link', { name: `Download dropped-${stamp}.txt` }).waitFor();
      await bob.waitForTimeout(500);
      assert.equal(await aliceLog.getByText(`pasted-${stamp}.txt`).count(), 0, 'the cancelled file is not sent');
      await shot(alice, 'composer-chat-attachments');
    },
  },
  {
    name: 'composer: a voice message from the fake microphone plays for the other member; a sticker is sent',
    /** @param {T} t */
    async run({ newPage, base, shot }) {
      const alice = await newPage({ locale: 'en-US', viewport: { width: 1000, height: 720 } });
      const bob = await newPage({ locale: 'en-US', viewport: { width: 1000, height: 720 } });
      await login(alice, 'alice', 'testpass');
      await login(bob, 'bob', 'testpass');
      const aliceLog = await openDevTeam(alice);
      const bobLog = await openDevTeam(bob);
      const voicesBefore = await bobLog.getByRole('group', { name: 'Voice message' }).count();

      await alice.getByRole('button', { name: 'Record voice message' }).click();
      const recorder = alice.getByRole('group', { name: 'Recording voice message' });
      await recorder.waitFor();
      await recorder.getByRole('timer').getByText('0:02').waitFor({ timeout: 5000 });
      await shot(alice, 'composer-recording');
      await noSeriousA11yProblems(alice, 'recording');
      await alice.getByRole('button', { name: 'Send voice message' }).click();
      await recorder.waitFor({ state: 'detached' });

      const voice = bobLog.getByRole('group', { name: 'Voice message' }).nth(voicesBefore);
      const play = voice.getByRole('button', { name: 'Play voice message' });
      await play.waitFor();
      await bob.waitForFunction((n) => {
        const audio = document.querySelectorAll('[role="log"] audio')[n];
        return audio instanceof HTMLAudioElement && audio.src.startsWith('http');
      }, voicesBefore);
      const seek = voice.getByRole('slider', { name: 'Position in voice message' });
      assert.ok(Number(await seek.getAttribute('max')) >= 1, 'duration known');
      await play.click();
      await voice.getByRole('button', { name: 'Pause voice message' }).waitFor();
      await bob.waitForFunction((n) => {
        const audio = /** @type {HTMLAudioElement} */ (document.querySelectorAll('[role="log"] audio')[n]);
        return audio.currentTime > 0.2;
      }, voicesBefore);
      await voice.getByRole('button', { name: 'Pause voice message' }).click();
      await seek.fill('1');
      assert.ok(Math.abs((await bob.evaluate((n) => /** @type {HTMLAudioElement} */ (document.querySelectorAll('[role="log"] audio')[n]).currentTime, voicesBefore)) - 1) < 0.3, 'seek moved');
      await aliceLog.getByRole('group', { name: 'Voice message' }).nth(voicesBefore).waitFor();

      // Cancel drops a recording: nothing is sent, the box is back.
      await alice.getByRole('button', { name: 'Record voice message' }).click();
      await recorder.getByRole('timer').getByText('0:01').waitFor({ timeout: 5000 });
      await recorder.getByRole('button', { name: 'Cancel recording' }).click();
      await recorder.waitFor({ state: 'detached' });
      await alice.getByRole('textbox', { name: 'Message' }).waitFor();

      // Holding the microphone button records until it is released.
      const mic = alice.getByRole('button', { name: 'Record voice message' });
      const at = await mic.boundingBox();
      assert.ok(at);
      await alice.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
      await alice.mouse.down();
      await recorder.getByRole('timer').getByText('0:01').waitFor({ timeout: 5000 });
      await alice.mouse.up();
      await recorder.waitFor({ state: 'detached' });
      await bobLog.getByRole('group', { name: 'Voice message' }).nth(voicesBefore + 1).waitFor();
      await alice.waitForTimeout(500);
      assert.equal(await bobLog.getByRole('group', { name: 'Voice message' }).count(), voicesBefore + 2, 'the cancelled recording was not sent');

      // What the server stored: a voice message with a duration and a fetchable link (§12.3).
      const token = await alice.evaluate(() => JSON.parse(localStorage.getItem('chorus.tokens') ?? 'null')?.access ?? null);
      if (token) {
        const chats = /** @type {any[]} */ (await (await fetch(`${base}/chats`, { headers: { Authorization: `Bearer ${token}` } })).json());
        const dev = chats.find((/** @type {any} */ c) => JSON.stringify(c).includes('Dev Team'));
        assert.ok(dev, JSON.stringify(chats));
        const page = /** @type {any[]} */ (await (await fetch(`${base}/chats/${dev.id}/messages?limit=5`, { headers: { Authorization: `Bearer ${token}` } })).json());
        const last = page.filter((/** @type {any} */ m) => m.message_type === 'voice').at(-2);
        assert.ok(last && last.duration_seconds >= 1 && last.attachment_url, JSON.stringify(last));
        assert.equal((await fetch(last.attachment_url)).status, 200);
      }

      // A sticker: picked in the picker, an image for both.
      const stickersBefore = await bobLog.getByRole('img', { name: /^Sticker:/ }).count();
      await alice.getByRole('button', { name: 'Stickers' }).click();
      const picker = alice.getByRole('dialog', { name: 'Stickers' });
      await picker.getByRole('button', { name: 'Sticker: party' }).waitFor();
      await noSeriousA11yProblems(alice, 'sticker picker');
      await picker.getByRole('button', { name: 'Sticker: party' }).click();
      await picker.waitFor({ state: 'detached' });
      for (const log of [bobLog, aliceLog]) {
        const sticker = log.getByRole('img', { name: 'Sticker: party' }).last();
        assert.ok((await rendered(sticker)) > 0);
      }
      assert.equal(await bobLog.getByRole('img', { name: /^Sticker:/ }).count(), stickersBefore + 1);
      await shot(bob, 'composer-chat-voice-sticker');
    },
  },
  {
    name: 'composer: offline → send → online delivers once; the queue survives a reload and keeps its order',
    /** @param {T} t */
    async run({ newPage, shot }) {
      const alice = await newPage({ locale: 'en-US', viewport: { width: 1000, height: 720 } });
      const bob = await newPage({ locale: 'en-US', viewport: { width: 1000, height: 720 } });
      await login(alice, 'alice', 'testpass');
      await login(bob, 'bob', 'testpass');
      let aliceLog = await openDevTeam(alice);
      const bobLog = await openDevTeam(bob);
      const stamp = Date.now();
      const box = () => alice.getByRole('textbox', { name: 'Message' });

      await alice.context().setOffline(true);
      await box().fill(`offline one ${stamp}`);
      await box().press('Enter');
      await aliceLog.getByText('Waiting for the network…').waitFor();
      await shot(alice, 'composer-offline-pending');
      await alice.context().setOffline(false);
      await bobLog.getByText(`offline one ${stamp}`).waitFor({ timeout: 15_000 });
      await aliceLog.getByText('Waiting for the network…').waitFor({ state: 'detached', timeout: 15_000 });

      // Sends that get no answer stay queued in IndexedDB through a reload.
      const refuse = (/** @type {import('playwright-core').Route} */ route) =>
        route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue();
      await alice.route('**/api/chats/*/messages', refuse);
      for (const n of ['two', 'three']) {
        await box().fill(`queued ${n} ${stamp}`);
        await box().press('Enter');
      }
      await aliceLog.getByText(`queued three ${stamp}`).waitFor();
      await alice.reload();
      aliceLog = alice.getByRole('log', { name: 'Messages' });
      await aliceLog.getByText(`queued two ${stamp}`).waitFor();
      await aliceLog.getByText(`queued three ${stamp}`).waitFor();
      assert.equal(await aliceLog.getByText('Waiting for the network…').count(), 2);
      await alice.unroute('**/api/chats/*/messages', refuse);

      await bobLog.getByText(`queued three ${stamp}`).waitFor({ timeout: 20_000 });
      await aliceLog.getByText('Waiting for the network…').waitFor({ state: 'detached', timeout: 15_000 });
      // A refusal shows the contract's error with Retry and Delete; Retry sends it once.
      const refuseOnce = (/** @type {import('playwright-core').Route} */ route) =>
        route.request().method() === 'POST'
          ? route.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify({ error: 'Only admins can post in channels' }) })
          : route.continue();
      await alice.route('**/api/chats/*/messages', refuseOnce);
      await box().fill(`refused four ${stamp}`);
      await box().press('Enter');
      const failed = aliceLog.getByRole('alert').filter({ hasText: 'Not sent: Only admins can post in channels' });
      await failed.waitFor();
      await noSeriousA11yProblems(alice, 'failed message');
      await shot(alice, 'composer-failed');
      await alice.unroute('**/api/chats/*/messages', refuseOnce);
      await failed.getByRole('button', { name: 'Retry' }).click();
      await bobLog.getByText(`refused four ${stamp}`).waitFor();
      await failed.waitFor({ state: 'detached' });

      await bob.waitForTimeout(1500);
      const pattern = new RegExp(`(offline one|queued two|queued three|refused four) ${stamp}`);
      const order = await bobLog.getByText(pattern).allInnerTexts();
      assert.deepEqual(order, [`offline one ${stamp}`, `queued two ${stamp}`, `queued three ${stamp}`, `refused four ${stamp}`], 'once each, in order (bob)');
      const mine = await aliceLog.getByText(pattern).allInnerTexts();
      assert.deepEqual(mine, order, 'once each, in order (alice)');
    },
  },
  {
    name: 'composer: a draft survives a reload; ↑ edits my last message; emoji go in at the caret (360 px, dark)',
    /** @param {T} t */
    async run({ newPage, shot }) {
      const alice = await newPage({ locale: 'en-US', viewport: { width: 360, height: 740 }, colorScheme: 'dark' });
      const bob = await newPage({ locale: 'en-US', viewport: { width: 1000, height: 720 } });
      await login(alice, 'alice', 'testpass');
      await login(bob, 'bob', 'testpass');
      await openDevTeam(alice);
      const bobLog = await openDevTeam(bob);
      const stamp = Date.now();
      const box = () => alice.getByRole('textbox', { name: 'Message' });

      await box().fill(`unfinished thought ${stamp}`);
      await alice.reload();
      await box().waitFor();
      assert.equal(await box().inputValue(), `unfinished thought ${stamp}`);

      await box().fill(`tpyo ${stamp}`);
      await box().press('Enter');
      await bobLog.getByText(`tpyo ${stamp}`).waitFor();
      assert.equal(await box().inputValue(), '');
      await alice.waitForTimeout(300);
      await box().press('ArrowUp');
      await alice.getByText('Edit message').waitFor();
      assert.equal(await box().inputValue(), `tpyo ${stamp}`);
      await box().fill(`typo ${stamp}`);
      await box().press('Enter');
      const aliceLog = alice.getByRole('log', { name: 'Messages' });
      await aliceLog.getByText(`typo ${stamp}`).waitFor();
      assert.equal(await aliceLog.getByText(`tpyo ${stamp}`).count(), 0);
      // The server has it (bob's live update is the message_updated handler's job).
      await bob.reload();
      await bob.getByRole('log', { name: 'Messages' }).getByText(`typo ${stamp}`).waitFor();
      assert.equal(await bob.getByRole('log', { name: 'Messages' }).getByText(`tpyo ${stamp}`).count(), 0);

      // The draft came back after the edit; an emoji goes where the caret is.
      assert.equal(await box().inputValue(), '');
      await box().fill('ab');
      await box().evaluate((/** @type {any} */ el) => el.setSelectionRange(1, 1));
      await alice.getByRole('button', { name: 'Emoji' }).click();
      const emoji = alice.getByRole('dialog', { name: 'Emoji' });
      const area = await emoji.boundingBox();
      assert.ok(area && area.x >= 0 && area.x + area.width <= 360 && area.y >= 0, `picker on screen: ${JSON.stringify(area)}`);
      await noSeriousA11yProblems(alice, 'emoji picker, dark, 360 px');
      await shot(alice, 'composer-emoji-dark-360');
      await emoji.getByRole('button', { name: '🎉' }).click();
      assert.equal(await box().inputValue(), 'a🎉b');
      await alice.keyboard.press('Escape');
      await emoji.waitFor({ state: 'detached' });
      assert.equal(await alice.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Emoji');
    },
  },
];
