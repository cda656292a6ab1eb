// The ward staff's registry in a real browser:
//   node registry-flow.mjs URL USER PASSWORD HOUSEHOLD_ID SCREENSHOT_DIR XLSX_PATH
// Logs in, checks the dashboard, filters and searches the list, opens the household that has a
// conflict, settles it by typing a value, records the meeting and posts the result, opens a
// department list, switches to English, downloads the report XLSX, imports last year's list. Saves a screenshot of each
// page (registry-*.png) and prints one JSON line with what it saw. Waits on locators, never sleeps.
import { launch } from './lib.mjs';

const [url, user, password, householdId, shotDir, xlsxPath] = process.argv.slice(2);
const check = (cond, message) => { if (!cond) throw new Error(message); };
const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();

const browser = await launch();
const seen = {};
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const shot = (name) => page.screenshot({ path: `${shotDir}/registry-${name}.png`, fullPage: true });

  // Not logged in: the list sends us to the login page.
  await page.goto(`${url}/households`);
  await page.waitForURL(/\/login/);
  await shot('login');
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(/\/households$/), page.click('main.login button[type=submit]')]);

  // Dashboard: counts, plan-target bars (SVG), progress per group.
  await page.goto(`${url}/`);
  await page.locator('#targets svg').waitFor();
  seen.dashboard_groups = await page.locator('#progress tbody tr').count();
  check(seen.dashboard_groups >= 2, 'progress lists the residential groups');
  await shot('dashboard');

  // Filter: TDP-01, poor.
  await page.goto(`${url}/households`);
  await page.selectOption('select[name=group]', 'TDP-01');
  await page.selectOption('select[name=category]', 'poor');
  await Promise.all([page.waitForURL(/category=poor/), page.click('form.filters button[type=submit]')]);
  const groups = await page.locator('#households tbody tr td:nth-child(3)').allTextContents();
  const categories = await page.locator('#households tbody tr td:nth-child(5)').allTextContents();
  check(groups.length > 0, 'the filter finds poor households in TDP-01');
  check(groups.every((g) => g === 'TDP-01'), `only TDP-01: ${groups}`);
  check(categories.every((c) => c.trim() === 'Hộ nghèo'), `only poor: ${categories}`);
  seen.filtered = groups.length;
  await shot('households');

  // Search without diacritics finds names written with them.
  await page.goto(`${url}/households`);
  await page.fill('input[name=q]', 'nguyen');
  await Promise.all([page.waitForURL(/q=nguyen/), page.click('form.filters button[type=submit]')]);
  const found = await page.locator('#households tbody tr td:nth-child(2)').allTextContents();
  check(found.length > 0 && found.every((t) => fold(t).includes('nguyen')), `search: ${found.slice(0, 3)}`);
  seen.searched = found.length;

  // The household with a conflict, from the conflicts filter.
  await page.goto(`${url}/households?conflicts=1`);
  await Promise.all([page.waitForURL(new RegExp(householdId)), page.click(`a[href="/households/${householdId}"]`)]);
  const form = page.locator('form.conflict[data-path="dwelling.floor_area_m2"]');
  await form.waitFor();
  await page.locator('#indicators tbody tr').nth(11).waitFor();
  await shot('household');
  await form.locator('input[value=typed]').check();
  await form.locator('input[name=typed]').fill('36.5');
  await Promise.all([page.waitForURL(/done=resolved/), form.locator('button[type=submit]').click()]);
  check(await page.locator('form.conflict').count() === 0, 'the conflict is settled');
  seen.resolved = true;
  // The history, read from the document's change log, shows the settlement first.
  const newest = page.locator('#history tbody tr').first();
  const newestText = await newest.textContent();
  check(newestText.includes('Trang quản lý (web)') && newestText.includes('Diện tích ở (m²)'),
    `the settlement is the newest change in the history: ${newestText}`);
  seen.historyRows = await page.locator('#history tr[data-hash]').count();

  // Review: the meeting agrees (7 of 10), then the result is posted.
  const meeting = page.locator('#review form:has(input[name=agreeing])');
  await meeting.locator('input[name=agreeing]').fill('7');
  await meeting.locator('input[name=attending]').fill('10');
  await Promise.all([page.waitForURL(/done=review/), meeting.locator('button[type=submit]').click()]);
  await page.locator('#review-status', { hasText: 'Đã thống nhất tại hội nghị' }).waitFor();
  await Promise.all([page.waitForURL(/done=review/), page.click('#review button[value=post]')]);
  await page.locator('#review-status', { hasText: 'Đã niêm yết' }).waitFor();
  seen.review = await page.locator('#review-status').textContent();
  await shot('review');

  // A department's action list.
  await page.goto(`${url}/departments?indicator=4`);
  await page.locator('#department-list').waitFor();
  await shot('departments');

  // English.
  await page.goto(`${url}/`);
  await Promise.all([page.waitForURL(/\/$/), page.click('a.lang')]);
  await page.locator('header nav a', { hasText: 'Households' }).waitFor();
  await shot('dashboard-en');

  // The report as XLSX.
  await page.goto(`${url}/exports`);
  await shot('exports');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href="/exports/report.xlsx"]')]);
  await download.saveAs(xlsxPath);
  seen.xlsx = download.suggestedFilename();
  // Import last year's list: preview with a row error, then the valid rows only.
  const csv = 'Mã hộ,Họ và tên chủ hộ,Giới tính,Năm sinh,Địa chỉ,Tổ dân phố,Phân loại\n'
    + 'NK-02-001,Lê Văn Tám,Nam,1968,3 hẻm 12 tổ 2,TDP-02,Hộ nghèo\n'
    + 'NK-02-002,Đặng Thị Hoa,Nữ,1985,8 đường số 2 tổ 2,TDP-02,Cận nghèo\n'
    + 'NK-02-003,,X,1990,9 đường số 2 tổ 2,TDP-02,giàu\n';
  await page.goto(`${url}/import`);
  await page.setInputFiles('input[name=file]', { name: 'ds-2025.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await Promise.all([page.waitForURL(/\/import\/preview/), page.click('form[action="/import/preview"] button[type=submit]')]);
  await page.locator('#rows tbody tr').nth(2).waitFor();
  await shot('import');
  await page.check('input[name=accept]');
  await Promise.all([page.waitForURL(/\/import\/commit/), page.click('button[value=import]')]);
  seen.imported = await page.locator('#import-result').textContent();
  check(/: 2;/.test(seen.imported), `two households imported: ${seen.imported}`);
  // On a tablet held upright: the list and a household still read without sideways scrolling
  // of the page (wide tables scroll inside their card).
  await page.setViewportSize({ width: 800, height: 1280 });
  await page.goto(`${url}/households`);
  await page.locator('table tbody tr').first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `the list fits a tablet's width (overflow ${overflow}px)`);
  await shot('tablet-households');
  await page.goto(`${url}/households/${householdId}`);
  await page.locator('#history').waitFor();
  const detailOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(detailOverflow <= 0, `a household fits a tablet's width (overflow ${detailOverflow}px)`);
  await shot('tablet-household');
  await page.goto(`${url}/`);
  await page.locator('#targets svg').waitFor();
  const dashOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(dashOverflow <= 0, `the dashboard fits a tablet's width (overflow ${dashOverflow}px)`);
  await shot('tablet-dashboard');
  console.log(JSON.stringify({ ok: true, ...seen }));
} finally {
  await browser.close();
}
