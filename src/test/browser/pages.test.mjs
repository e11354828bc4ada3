// End-to-end tests of the four pages and the browser client against the real standalone server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DuplexServer, freePort, launchBrowser, openPage, screenshot } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await new DuplexServer(await freePort()).start();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function joinChat(url, name) {
  const page = await openPage(browser, `${url}chat.html`);
  await page.locator('#status[data-state="open"]').waitFor();
  await page.fill('#name', name);
  await page.click('#join-form button');
  await page.locator('#chat').waitFor({ state: 'visible' });
  return page;
}

async function send(page, text) {
  await page.fill('#message', text);
  await page.click('#send-form button');
}

const messageWith = (page, text) => page.locator('.message .text', { hasText: text });

test('two pages chat both ways: lobby, private and room', async () => {
  const ann = await joinChat(server.url, 'ann');
  const bob = await joinChat(server.url, 'bob');
  await ann.locator('#users li', { hasText: 'bob' }).waitFor();

  await send(ann, 'hello bob');
  await messageWith(bob, 'hello bob').waitFor();
  await ann.locator('.message.mine .text', { hasText: 'hello bob' }).waitFor(); // own message marked
  assert.equal(await bob.locator('.message.mine .text', { hasText: 'hello bob' }).count(), 0, 'not mine on the other page');
  await send(bob, 'hi ann');
  await messageWith(ann, 'hi ann').waitFor();

  await bob.fill('#message', 'typ');
  await ann.locator('#typing', { hasText: 'bob is typing' }).waitFor();

  await ann.locator('#users li', { hasText: 'bob' }).locator('button').click();
  await send(ann, 'just for you');
  await bob.locator('.message.private .text', { hasText: 'just for you' }).waitFor();
  await ann.click('#private-cancel');

  for (const page of [ann, bob]) {
    await page.fill('#room', 'team');
    await page.click('#room-form button');
    await page.locator('#tabs button', { hasText: '# team' }).waitFor();
  }
  await ann.locator('.notice', { hasText: 'bob joined team' }).waitFor();
  await send(ann, 'room talk');
  await messageWith(bob, 'room talk').waitFor();
  await bob.locator('#tabs button', { hasText: 'Lobby' }).click();
  assert.equal(await messageWith(bob, 'room talk').count(), 0, 'room messages stay in the room tab');

  await screenshot(ann, 'chat-ann');
  await screenshot(bob, 'chat-bob');
  assert.deepEqual([...ann.errors, ...bob.errors], []);
  await ann.context().close();
  await bob.context().close();
});

test('a message with markup is shown as text and runs nothing', async () => {
  const ann = await joinChat(server.url, 'amy');
  const bob = await joinChat(server.url, 'ben');
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

test('a stroke drawn on one page appears on the other page\'s canvas', async () => {
  const board = `${server.url}whiteboard.html?board=e2e`;
  const alice = await openPage(browser, board);
  const carol = await openPage(browser, board);
  for (const page of [alice, carol]) await page.locator('#status[data-state="open"]').waitFor();

  await alice.evaluate(() => { document.getElementById('color').value = '#ff0000'; });
  await alice.fill('#width', '20');
  const box = await alice.locator('#canvas').boundingBox();
  await alice.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.5);
  await alice.mouse.down();
  for (let step = 1; step <= 10; step++) {
    await alice.mouse.move(box.x + box.width * (0.2 + step * 0.05), box.y + box.height * 0.5);
  }
  await alice.mouse.up();

  // The middle of the line, in canvas pixels (the canvas is 1600 x 1000 inside).
  const redAt = (page) => page.evaluate(() => {
    const pixel = document.getElementById('canvas').getContext('2d').getImageData(800, 500, 1, 1).data;
    return pixel[0] > 200 && pixel[1] < 60 && pixel[2] < 60 && pixel[3] > 200;
  });
  await carol.waitForFunction(() => {
    const pixel = document.getElementById('canvas').getContext('2d').getImageData(800, 500, 1, 1).data;
    return pixel[0] > 200 && pixel[3] > 200;
  });
  assert.ok(await redAt(carol), 'the other page has the red line');
  assert.ok(await redAt(alice));
  const blankAt = await carol.evaluate(() => document.getElementById('canvas').getContext('2d').getImageData(100, 100, 1, 1).data[3]);
  assert.equal(blankAt, 0, 'and nothing where nobody drew');

  const late = await openPage(browser, board);
  await late.waitForFunction(() => document.getElementById('canvas').getContext('2d').getImageData(800, 500, 1, 1).data[3] > 200);
  await screenshot(carol, 'whiteboard-live-stroke');

  await alice.click('#undo');
  await carol.waitForFunction(() => document.getElementById('canvas').getContext('2d').getImageData(800, 500, 1, 1).data[3] === 0);
  for (const page of [alice, carol, late]) await page.context().close();
});

test('a whole game is played to a win between two pages', async () => {
  const x = await openPage(browser, `${server.url}game.html`);
  const o = await openPage(browser, `${server.url}game.html`);
  for (const [page, name] of [[x, 'xena'], [o, 'otto']]) {
    await page.locator('#status[data-state="open"]').waitFor();
    await page.fill('#name', name);
    await page.click('#find');
    if (page === x) await x.locator('#banner', { hasText: 'Waiting for an opponent' }).waitFor();
  }
  await x.locator('#banner', { hasText: 'Your turn (X)' }).waitFor();
  await o.locator('#players', { hasText: 'xena (X) vs otto (O)' }).waitFor();

  const moves = [[x, 0], [o, 3], [x, 1], [o, 4], [x, 2]];
  for (const [page, cell] of moves) {
    await page.locator(`[data-cell="${cell}"]:not([disabled])`).click();
    const other = page === x ? o : x;
    await other.locator(`[data-cell="${cell}"]`, { hasText: page === x ? 'X' : 'O' }).waitFor();
  }
  await x.locator('#banner', { hasText: 'You won' }).waitFor();
  await o.locator('#banner', { hasText: 'xena won' }).waitFor();
  assert.equal(await x.locator('.ttt button.win').count(), 3);
  assert.deepEqual(await o.locator('.ttt button.win').evaluateAll((cells) => cells.map((c) => c.dataset.cell)), ['0', '1', '2']);
  await screenshot(x, 'game-won');
  await screenshot(o, 'game-lost');
  await x.context().close();
  await o.context().close();
});

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
  const ann = await joinChat(server.url, 'rita');
  await send(ann, 'before the restart');
  await messageWith(ann, 'before the restart').waitFor();

  await server.stop();
  await ann.locator('#status[data-state="closed"]').waitFor();
  await screenshot(ann, 'reconnect-offline');
  await server.start();
  await ann.locator('#status[data-state="open"]').waitFor({ timeout: 30_000 });
  await ann.locator('.notice', { hasText: 'Reconnected' }).waitFor();

  const bob = await joinChat(server.url, 'rob');
  await bob.locator('#users li', { hasText: 'rita' }).waitFor(); // rita joined again under her name
  await send(ann, 'after the restart');
  await messageWith(bob, 'after the restart').waitFor();
  await screenshot(ann, 'reconnect-online');
  await ann.context().close();
  await bob.context().close();
});
