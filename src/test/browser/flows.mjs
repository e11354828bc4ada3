// What a person does on the pages, written once against the base URLs of the pages' server(s): the page
// tests run each flow on one server, the cluster tests with its two people on two nodes.
import assert from 'node:assert/strict';
import { openPage, screenshot } from './harness.mjs';

export async function joinChat(browser, url, name) {
  const page = await openPage(browser, `${url}chat.html`);
  await page.locator('#status[data-state="open"]').waitFor();
  await page.fill('#name', name);
  await page.click('#join-form button');
  await page.locator('#chat').waitFor({ state: 'visible' });
  return page;
}

export async function send(page, text) {
  await page.fill('#message', text);
  await page.click('#send-form button');
}

export const messageWith = (page, text) => page.locator('.message .text', { hasText: text });

/** Two people chat both ways, in the lobby, privately and in a room; {@code shots} suffixes screenshot names. */
export async function chatBothWays(browser, first, second, shots = '') {
  const ann = await joinChat(browser, first, 'ann');
  const bob = await joinChat(browser, second, 'bob');
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

  await screenshot(ann, `chat-ann${shots}`);
  await screenshot(bob, `chat-bob${shots}`);
  assert.deepEqual([...ann.errors, ...bob.errors], []);
  await ann.context().close();
  await bob.context().close();
}

/** A stroke drawn on one page appears on the other's canvas and a late joiner's, and undo takes it away. */
export async function strokeSeenElsewhere(browser, first, second, board, shots = '') {
  const alice = await openPage(browser, `${first}whiteboard.html?board=${board}`);
  const carol = await openPage(browser, `${second}whiteboard.html?board=${board}`);
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

  const late = await openPage(browser, `${second}whiteboard.html?board=${board}`);
  await late.waitForFunction(() => document.getElementById('canvas').getContext('2d').getImageData(800, 500, 1, 1).data[3] > 200);
  await screenshot(carol, `whiteboard-live-stroke${shots}`);

  await alice.click('#undo');
  await carol.waitForFunction(() => document.getElementById('canvas').getContext('2d').getImageData(800, 500, 1, 1).data[3] === 0);
  for (const page of [alice, carol, late]) await page.context().close();
}

/** A whole game played to a win between two pages. */
export async function gameToAWin(browser, first, second, shots = '') {
  const x = await openPage(browser, `${first}game.html`);
  const o = await openPage(browser, `${second}game.html`);
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
  await screenshot(x, `game-won${shots}`);
  await screenshot(o, `game-lost${shots}`);
  await x.context().close();
  await o.context().close();
}
