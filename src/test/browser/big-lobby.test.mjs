// The chat page in a lobby of a few thousand: a count, the first page, more on scroll, search, and live
// changes to the first page (docs/protocol.md, "Big lobbies and rooms").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { DuplexServer, freePort, launchBrowser, screenshot } from './harness.mjs';
import { joinChat, messageWith } from './flows.mjs';

const USERS = 2000;
let server;
let browser;
const bots = [];

/** A chat user outside the browser: joined under `name`, reading and ignoring what it gets. */
function bot(name) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/chat`, { perMessageDeflate: false });
    ws.on('error', reject);
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.includes('"event":"connected"')) ws.send(JSON.stringify({ event: 'user-joined', data: name, ack: 1 }));
      else if (text.startsWith('{"ack":1')) resolve(ws);
    });
  });
}

before(async () => {
  server = await new DuplexServer(await freePort(), {
    'duplex.limits.connections-per-address': 10000,
    'duplex.limits.handshakes-per-address': 100000,
  }).start();
  browser = await launchBrowser();
  for (let i = 0; i < USERS; i += 100) {
    const batch = [];
    for (let j = i; j < i + 100; j++) batch.push(bot(`user${String(j).padStart(4, '0')}`));
    bots.push(...await Promise.all(batch));
  }
});

after(async () => {
  for (const ws of bots) ws.terminate();
  await browser?.close();
  await server?.stop();
});

test('a lobby of 2,000 shows its count and first page, more on scroll, a search, and who leaves', async () => {
  const page = await joinChat(browser, server.url, 'Anna');
  const count = page.locator('#online-count');
  await page.waitForFunction((n) => document.getElementById('online-count').textContent === String(n), USERS + 1);
  const users = page.locator('#users li');
  assert.equal(await users.count(), 100, 'the first page');
  assert.equal(await users.first().textContent(), 'Anna (you)');
  assert.match(await users.nth(1).textContent(), /^user0000/);

  await page.locator('#users').evaluate((list) => { list.scrollTop = list.scrollHeight; });
  await page.waitForFunction(() => document.querySelectorAll('#users li').length === 200);
  assert.match(await users.nth(199).textContent(), /^user0198/);

  await page.fill('#user-search', 'USER1999');
  await page.waitForFunction(() => document.querySelectorAll('#users li').length === 1);
  assert.match(await users.first().textContent(), /^user1999/);
  await page.fill('#user-search', '');
  await page.waitForFunction(() => document.querySelectorAll('#users li').length >= 100);

  // user0000 leaves: the first page and the count follow within a window.
  bots.shift().close();
  await page.waitForFunction((n) => document.getElementById('online-count').textContent === String(n), USERS);
  await page.locator('#users li', { hasText: 'user0000' }).waitFor({ state: 'detached' });
  assert.equal(await count.textContent(), String(USERS));

  bots[0].send(JSON.stringify({ event: 'send-message', data: 'hello, big lobby' }));
  await messageWith(page, 'hello, big lobby').waitFor();
  await screenshot(page, 'chat-big-lobby');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
