// Manual check of a deployed Duplex: node manual-chat-check.mjs http://host:port/context/ screenshot.png
// Two browser pages join the chat and exchange a message; exits non-zero if they cannot.
import { launchBrowser, openPage } from './harness.mjs';

const [base, shot] = process.argv.slice(2);
const browser = await launchBrowser();
try {
  const pages = [];
  for (const name of ['ann', 'bob']) {
    const page = await openPage(browser, `${base}chat.html`);
    await page.locator('#status[data-state="open"]').waitFor({ timeout: 15000 });
    await page.fill('#name', name);
    await page.click('#join-form button');
    await page.locator('#chat').waitFor({ state: 'visible' });
    pages.push(page);
  }
  await pages[0].fill('#message', `hello from ${base}`);
  await pages[0].click('#send-form button');
  await pages[1].locator('.message .text', { hasText: `hello from ${base}` }).waitFor({ timeout: 15000 });
  if (shot) await pages[1].screenshot({ path: shot });
  console.log(`chat works at ${base}`);
} finally {
  await browser.close();
}
