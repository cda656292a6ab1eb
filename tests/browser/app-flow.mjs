// The app's end-to-end flow in a real browser at phone size, against two running app instances
// (liveview) and a running server:
//   node app-flow.mjs COLLECTOR_APP_URL HEALTH_APP_URL SERVER_URL COLLECTOR_CODE HEALTH_CODE SCREENSHOT_DIR
// A collector enrols (server + code), surveys a new household of three members, sees the live
// classification, syncs; a health worker enrols by pasting the QR link, finds the household by a
// search without diacritics, measures the child with an implausible weight (flagged, confirmed),
// sees the chart, syncs. Prints {"household_id": …} on the last line. Any failed wait or check
// throws, so the process exits non-zero. Waits are on the DOM, never on time.
import { launch, PHONE } from './lib.mjs';

const [collectorUrl, healthUrl, serverUrl, collectorCode, healthCode, shots] = process.argv.slice(2);
const TIMEOUT = 30_000;

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
}

// Phone-sized screenshots; `full` ones are the whole scrolling screen at phone width.
async function shot(page, name, full = false) {
  await page.screenshot({ path: `${shots}/app-${name}.png`, fullPage: full });
}

async function connected(page, url) {
  await page.goto(url);
  await page.waitForSelector('header.top', { timeout: TIMEOUT });
}

async function synced(page) {
  await page.click('#sync');
  await page.waitForFunction(() => {
    const p = document.querySelector('#pending');
    const b = document.querySelector('#sync');
    const last = document.querySelector('#last-sync');
    return p && p.dataset.pending === '0' && b && !b.disabled && last && /\d\d:\d\d/.test(last.textContent)
      && !document.querySelector('#sync-problem');
  }, null, { timeout: TIMEOUT });
}

async function next(page, expectStep) {
  await page.click('#next');
  await page.waitForSelector(`#survey-step[data-step="${expectStep}"]`, { timeout: TIMEOUT });
}

async function choose(page, path, value) {
  await page.click(`[data-path="${path}"] button[data-value="${value}"]`);
  await page.waitForSelector(`[data-path="${path}"] button.on[data-value="${value}"]`, { timeout: TIMEOUT });
}

async function addMember(page, name, sex, birth, relation) {
  await page.click('#add-member');
  await page.waitForSelector('#member-form');
  await page.fill('input[name="full_name"]', name);
  await choose(page, 'sex', sex);
  await page.fill('input[name="birth"]', birth);
  await page.selectOption('select[name="relation"]', relation);
  await page.click('#save-member');
  await page.waitForFunction((n) => !document.querySelector('#member-form')
    && [...document.querySelectorAll('li.member strong')].some((e) => e.textContent === n), name, { timeout: TIMEOUT });
}

const browser = await launch();
try {
  // ---- Collector ------------------------------------------------------------------------------
  const page = await browser.newPage(PHONE);
  await connected(page, collectorUrl);
  await page.waitForSelector('#enrol');
  await shot(page, 'enrol');
  await page.fill('input[name="server"]', serverUrl);
  await page.fill('input[name="code"]', collectorCode);
  await page.click('#enrol');
  await page.waitForSelector('#search', { timeout: TIMEOUT });
  // The first sync brings the households of the collector's group.
  await page.waitForFunction(() => Number(document.querySelector('#count')?.dataset.total) > 0, null, { timeout: TIMEOUT });
  await shot(page, 'list');

  await page.click('#new-household');
  await page.waitForSelector('#survey-step[data-step="0"]');
  await page.click('#next');
  await page.waitForSelector('#blocked', { timeout: TIMEOUT }); // no address: the step is blocked
  await page.fill('input[name="address"]', '27 đường Lê Hồng Phong, tổ 1');
  await page.fill('input[name="code"]', 'PT-01-999');
  await shot(page, 'survey-household');
  await next(page, 1);

  await addMember(page, 'Trần Văn Hùng', 'male', '1979-04-02', 'head');
  await addMember(page, 'Lê Thị Mai', 'female', '1982-07-10', 'spouse');
  await page.click('#add-member');
  await page.waitForSelector('#member-form');
  await shot(page, 'survey-member-form');
  await page.click('#member-form button.secondary'); // cancel
  await addMember(page, 'Trần Thị Bé', 'female', '2023-03-15', 'child');
  await shot(page, 'survey-members');
  await next(page, 2);

  await page.selectOption('select[name="members.0.work"]', 'wage_without_contract');
  await page.selectOption('select[name="members.1.work"]', 'homemaker');
  check(!(await page.$('select[name="members.2.work"]')), 'a 3-year-old is not asked about work');
  await shot(page, 'survey-employment');
  await next(page, 3);

  await choose(page, 'members.0.health_insurance', 'yes');
  await choose(page, 'members.1.health_insurance', 'yes');
  await next(page, 4);

  await choose(page, 'members.2.in_school', 'yes');
  await choose(page, 'members.2.school_level_ok', 'yes');
  check(!(await page.$('[data-path="members.0.in_school"]')), 'a 47-year-old is not asked about school');
  await shot(page, 'survey-education');
  await next(page, 5);

  await choose(page, 'dwelling.walls', 'durable');
  await choose(page, 'dwelling.columns', 'durable');
  await choose(page, 'dwelling.roof', 'non_durable');
  await page.fill('input[name="dwelling.floor_area_m2"]', '-5');
  await page.click('#next');
  await page.waitForSelector('#blocked', { timeout: TIMEOUT }); // an impossible area blocks
  await page.fill('input[name="dwelling.floor_area_m2"]', '20');
  await page.waitForFunction(() => !document.querySelector('ul.problems li.error'), null, { timeout: TIMEOUT });
  await shot(page, 'survey-housing');
  await next(page, 6);

  await page.selectOption('select[name="water_source"]', 'piped');
  await page.selectOption('select[name="latrine"]', 'simple_pit');
  await next(page, 7);

  await choose(page, 'internet_use', 'yes');
  await choose(page, 'info_devices.tv', 'yes');
  await choose(page, 'info_devices.smartphone', 'yes');
  await next(page, 8);

  await page.fill('input[name="income.monthly_per_capita_vnd"]', '1500000');
  await choose(page, 'income.source', 'declared');
  await shot(page, 'survey-income');
  await next(page, 9);

  await page.waitForSelector('#category[data-category]');
  const category = await page.getAttribute('#category', 'data-category');
  check(category === 'poor', `live category is poor (got ${category})`);
  check((await page.$$('#indicators li')).length === 12, 'twelve indicators with reasons');
  check((await page.$$('#indicators li.deprived')).length >= 3, 'at least three deprivations');
  await shot(page, 'survey-summary', true);
  await page.click('#finish');
  await page.waitForSelector('#household[data-id]');
  const householdId = await page.getAttribute('#household', 'data-id');
  await synced(page);
  await shot(page, 'household');
  await page.click('#household button.back');
  await page.waitForSelector('#search');
  await page.click('#lang');
  await page.waitForFunction(() => document.querySelector('#new-household')?.textContent.includes('New household'));
  await shot(page, 'list-english');
  await page.click('#lang');

  // ---- Health worker ---------------------------------------------------------------------------
  const health = await browser.newPage(PHONE);
  await connected(health, healthUrl);
  const link = `rasoat://enrol?server=${encodeURIComponent(serverUrl)}&code=${encodeURIComponent(healthCode)}`;
  await health.fill('input[name="server"]', link);
  await health.click('#enrol');
  await health.waitForSelector('#search', { timeout: TIMEOUT });
  await health.fill('#search', 'tran van hung');
  await health.waitForFunction(() => document.querySelector('#count')?.dataset.total === '1', null, { timeout: TIMEOUT });
  await shot(health, 'health-search');
  await health.click(`button.household[data-id="${householdId}"]`);
  await health.waitForSelector('#household .child');
  check(!(await health.$('#survey')), 'a health worker has no survey button');
  await health.click('#household .child .measure');
  await health.waitForSelector('#measure');
  await health.fill('input[name="weight_kg"]', '1.2');
  await health.fill('input[name="lenhei_cm"]', '95');
  await health.waitForSelector('#flagged', { timeout: TIMEOUT });
  check(await health.isDisabled('#save-measurement'), 'a flagged value cannot be saved unconfirmed');
  check(!!(await health.$('tr.flagged[data-indicator="waz"]')), 'WAZ shown in red');
  await shot(health, 'measure-flagged');
  await health.click('#confirm-flag');
  await health.waitForFunction(() => !document.querySelector('#save-measurement').disabled, null, { timeout: TIMEOUT });
  await health.click('#save-measurement');
  await health.waitForSelector('#household .chart-box svg circle.point', { timeout: TIMEOUT });
  check((await health.$$('#household svg[data-chart="waz"] polyline')).length === 5, 'five WHO curves');
  await synced(health);
  await shot(health, 'child-chart', true);

  console.log(JSON.stringify({ household_id: householdId, category }));
} finally {
  await browser.close();
}
