// End-to-end tests of the four pages and the browser client against the real standalone server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';
import { DuplexServer, cutBrowserConnections, freePort, launchBrowser, openPage, screenshot } from './harness.mjs';
import { chatBothWays, gameToAWin, joinChat, messageWith, send, strokeSeenElsewhere } from './flows.mjs';

let server;
let browser;

before(async () => {
  // A joiner gets the newest 5 messages instead of 50: the history test stays under the message rate limit.
  server = await new DuplexServer(await freePort(), { 'duplex.chat.history.on-join': '5' }).start();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('two pages chat both ways: lobby, private and room', () => chatBothWays(browser, server.url, server.url));

test('a joiner sees what the lobby said before it came, once, and can page further back', async () => {
  const ann = await joinChat(browser, server.url, 'hana');
  for (let i = 1; i <= 8; i++) {
    await send(ann, `earlier ${i}`);
    await messageWith(ann, `earlier ${i}`).waitFor();
  }
  const bob = await joinChat(browser, server.url, 'hugo');
  // The newest 5 come with the join, before anything live; the rest on asking.
  await messageWith(bob, 'earlier 8').waitFor();
  await messageWith(bob, 'earlier 4').waitFor();
  assert.equal(await messageWith(bob, 'earlier 3').count(), 0);
  await bob.click('button.earlier');
  await messageWith(bob, 'earlier 1').waitFor();
  assert.equal(await messageWith(bob, 'earlier 8').count(), 1);
  const texts = await bob.locator('#messages .message .text').allTextContents();
  const mine = texts.filter((text) => text.startsWith('earlier '));
  assert.deepEqual(mine.slice(-8), [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `earlier ${i}`));
  await screenshot(bob, 'chat-history');
  await ann.context().close();
  await bob.context().close();
});

test('a chat page whose connection is cut comes back as the same user with every message, unseen', async () => {
  const vera = await joinChat(browser, server.url, 'vera');
  // The other person is a plain client: the browser's connections are the ones cut.
  const sam = new WebSocket(`ws://127.0.0.1:${server.port}/chat`, { perMessageDeflate: false });
  const heard = [];
  sam.on('message', (data) => heard.push(JSON.parse(data.toString())));
  await once(sam, 'open');
  sam.send(JSON.stringify({ event: 'user-joined', data: 'sam' }));
  await vera.locator('#users li', { hasText: 'sam' }).waitFor();
  sam.send(JSON.stringify({ event: 'send-message', data: 'before the cut' }));
  await messageWith(vera, 'before the cut').waitFor();

  assert.ok(cutBrowserConnections(server.port) >= 1);
  for (let i = 1; i <= 3; i++) sam.send(JSON.stringify({ event: 'send-message', data: `while away ${i}` }));
  await vera.locator('.notice', { hasText: 'Reconnected' }).waitFor();
  for (let i = 1; i <= 3; i++) await messageWith(vera, `while away ${i}`).waitFor();
  sam.send(JSON.stringify({ event: 'send-message', data: 'after the return' }));
  await messageWith(vera, 'after the return').waitFor();
  for (const text of ['before the cut', 'while away 1', 'while away 2', 'while away 3', 'after the return']) {
    assert.equal(await messageWith(vera, text).count(), 1, text);
  }
  // Nobody saw vera leave or come back, and her page did not join again.
  const presence = heard.filter((frame) => ['user-disconnected', 'user-connected'].includes(frame.event)
    && frame.data.username === 'vera');
  assert.deepEqual(presence, []);
  await screenshot(vera, 'chat-resumed');
  sam.close();
  await vera.context().close();
});

test('a message with markup is shown as text and runs nothing', async () => {
  const ann = await joinChat(browser, server.url, 'amy');
  const bob = await joinChat(browser, server.url, 'ben');
  const attack = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
  await send(ann, attack);
  await messageWith(bob, '<img src=x').waitFor();
  assert.equal(await messageWith(bob, attack).first().textContent(), attack);
  assert.equal(await bob.locator('#messages img, #messages script').count(), 0);
  assert.equal(await bob.evaluate(() => window.__xss), undefined);
  assert.equal(await ann.evaluate(() => window.__xss), undefined);
  await screenshot(bob, 'chat-markup-as-text');
  await ann.context().close();
  await bob.context().close();
});

test('a stroke drawn on one page appears on the other page\'s canvas',
  () => strokeSeenElsewhere(browser, server.url, server.url, 'e2e'));

test('a whole game is played to a win between two pages', () => gameToAWin(browser, server.url, server.url));

test('two location users see each other', async () => {
  const group = `${server.url}location.html?room=e2e`;
  const ann = await openPage(browser, group);
  const bob = await openPage(browser, group, { width: 390, height: 844 });
  for (const [page, name, lat, lng] of [[ann, 'ann', 48.8566, 2.3522], [bob, 'bob', -33.8688, 151.2093]]) {
    await page.locator('#status[data-state="open"]').waitFor();
    await page.fill('#name', name);
    await page.fill('#lat', String(lat));
    await page.fill('#lng', String(lng));
    await page.click('#share-form button[type="submit"]');
  }
  for (const page of [ann, bob]) {
    await page.locator('#people tr', { hasText: 'ann' }).waitFor();
    await page.locator('#people tr', { hasText: 'bob' }).waitFor();
    assert.equal(await page.locator('#map circle.dot').count(), 2);
  }
  assert.match(await bob.locator('#people tr', { hasText: 'ann' }).textContent(), /48\.8566, 2\.3522/);
  await screenshot(ann, 'location-desktop');
  await screenshot(bob, 'location-phone');
  await ann.context().close();
  await bob.context().close();
});

test('the page reconnects after a server restart and works again', async () => {
  // Names of their own: pages of earlier tests may still be leaving the online list.
  const ann = await joinChat(browser, server.url, 'rita');
  await send(ann, 'before the restart');
  await messageWith(ann, 'before the restart').waitFor();

  await server.stop();
  await ann.locator('#status[data-state="closed"]').waitFor();
  await screenshot(ann, 'reconnect-offline');
  await server.start();
  await ann.locator('#status[data-state="open"]').waitFor({ timeout: 30_000 });
  await ann.locator('.notice', { hasText: 'Reconnected' }).waitFor();

  const bob = await joinChat(browser, server.url, 'rob');
  await bob.locator('#users li', { hasText: 'rita' }).waitFor(); // rita joined again under her name
  await send(ann, 'after the restart');
  await messageWith(bob, 'after the restart').waitFor();
  await screenshot(ann, 'reconnect-online');
  await ann.context().close();
  await bob.context().close();
});
