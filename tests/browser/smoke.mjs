// Smoke check that the browser stack works: node smoke.mjs URL
import { launch, PHONE } from './lib.mjs';
const browser = await launch();
const page = await browser.newPage(PHONE);
const response = await page.goto(process.argv[2]);
console.log(response.status(), await page.title());
await browser.close();
