// The pages with their people on two nodes of one cluster (the machine's Redis on 127.0.0.1:6379, under a
// cluster name of this run's own): the same flows as the page tests, each person on another node.
import { test, before, after } from 'node:test';
import { randomUUID } from 'node:crypto';
import { DuplexServer, freePort, launchBrowser } from './harness.mjs';
import { chatBothWays, gameToAWin, strokeSeenElsewhere } from './flows.mjs';

const cluster = {
  'duplex.redis.uri': process.env.DUPLEX_TEST_REDIS || 'redis://127.0.0.1:6379',
  'duplex.cluster.name': `browser-${randomUUID().slice(0, 8)}`,
};
let nodes = [];
let browser;

before(async () => {
  nodes = [await new DuplexServer(await freePort(), cluster).start(), await new DuplexServer(await freePort(), cluster).start()];
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await Promise.all(nodes.map((node) => node.stop()));
});

test('two pages on two nodes chat both ways: lobby, private and room',
  () => chatBothWays(browser, nodes[0].url, nodes[1].url, '-cluster'));

test('a stroke drawn on one node appears on a page of the other node, and on a late joiner\'s there',
  () => strokeSeenElsewhere(browser, nodes[0].url, nodes[1].url, 'e2e-cluster', '-cluster'));

test('a whole game is played to a win between pages on two nodes',
  () => gameToAWin(browser, nodes[0].url, nodes[1].url, '-cluster'));
