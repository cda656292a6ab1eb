// The collector's app after the server has gone away: sync says "offline" (a state, retried
// with backoff), nothing is lost. node app-offline.mjs APP_URL SCREENSHOT_DIR
import { launch, PHONE } from './lib.mjs';

const [url, shots] = process.argv.slice(2);
const browser = await launch();
try {
  const page = await browser.newPage(PHONE);
  await page.goto(url);
  await page.waitForSelector('#search', { timeout: 30_000 });
  await page.click('#sync');
  await page.waitForFunction(() => /mạng/.test(document.querySelector('#sync-problem')?.textContent ?? ''),
    null, { timeout: 30_000 });
  await page.screenshot({ path: `${shots}/app-sync-offline.png` });
  console.log(JSON.stringify({ problem: await page.textContent('#sync-problem') }));
} finally {
  await browser.close();
}
