// Experiments end to end: pick two creatives in the gallery, start an experiment, import
// performance reports through the web app's import page in a second tab, and watch the
// experiment page's decision change live (Firestore listener: no reload, no polling).
// The workspace (user, campaign, three copy creatives) is seeded through the API by
// tests/e2e/test_experiments_live.py, which passes its description in EXPERIMENT_SEED.
import { test, expect, type Page, type Request } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { checkPage, shot } from './helpers';

interface Seed {
  email: string;
  password: string;
  campaign_id: string;
  creative_ids: string[];
  headlines: string[]; // each creative's first headline: what the web app calls it
}

const SEED_FILE = process.env.EXPERIMENT_SEED;
test.skip(!SEED_FILE, 'seeded and run by tests/e2e/test_experiments_live.py');

const DAYS = 14;
/** YYYY-MM-DD, `n` days before today in UTC (the server counts whole UTC days). */
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** A Google Ads ad report downloaded as "CSV": title and date-range lines, our id in the
 * Final URL suffix, one row per ad and day of the experiment, a totals row. */
function googleReport(rows: [creativeId: string, impressions: number, clicks: number][]): Buffer {
  const lines = [
    'Ad report',
    `${daysAgo(DAYS)} - ${daysAgo(1)}`,
    'Ad status,Final URL,Final URL suffix,Campaign,Ad group,Day,Currency code,Impr.,Clicks,Cost',
  ];
  for (let d = DAYS; d >= 1; d--) {
    for (const [id, impressions, clicks] of rows) {
      lines.push(`Enabled,https://example.com/e2e,utm_content=${id},E2E,AG,${daysAgo(d)},EUR,"${impressions.toLocaleString('en-US')}",${clicks},${(clicks * 0.4).toFixed(2)}`);
    }
  }
  lines.push('Total: Account,,,,,,EUR,--,--,--');
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
}

async function importReport(page: Page, name: string, data: Buffer, rows: number) {
  await page.getByTestId('report-file').setInputFiles({ name, mimeType: 'text/csv', buffer: data });
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('import-status')).toHaveText(new RegExp(`^Done: ${rows} of ${rows} rows matched`), { timeout: 60_000 });
}

test('an experiment started from the gallery decides live as reports are imported', async ({ browser }) => {
  const seed = JSON.parse(readFileSync(SEED_FILE!, 'utf8')) as Seed;
  const [a, b] = seed.creative_ids;
  const context = await browser.newContext();
  const page = await context.newPage();

  await page.goto('/signin');
  await page.getByRole('textbox', { name: 'Email' }).fill(seed.email);
  await page.getByLabel(/^Password/).fill(seed.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Campaigns' })).toBeVisible({ timeout: 60_000 });

  // The gallery, filtered to the campaign: pick A then B to compare.
  await page.getByRole('link', { name: 'Gallery' }).click();
  await expect(page.getByRole('heading', { name: 'Creative gallery' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Campaign' }).click();
  await page.getByRole('option', { name: 'Experiment E2E' }).click();
  await expect(page).toHaveURL(new RegExp(`campaign_id=${seed.campaign_id}`));
  await expect(page.getByTestId('creative-card')).toHaveCount(seed.creative_ids.length);
  const card = (id: string) => page.locator(`[data-testid="creative-card"][data-creative-id="${id}"]`);
  await card(a).getByRole('checkbox', { name: 'Compare' }).check();
  await expect(page.getByText('1 creative picked to compare: pick at least two.')).toBeVisible();
  await card(b).getByRole('checkbox', { name: 'Compare' }).check();
  await expect(page.getByText('2 creatives picked to compare.')).toBeVisible();
  await page.getByRole('button', { name: 'Start experiment' }).click();
  const dialog = page.getByRole('dialog', { name: 'Start an experiment' });
  await expect(dialog).toContainText(`Arms: A “${seed.headlines[0]}”, B “${seed.headlines[1]}”`);
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Headlines E2E');
  // The arms ran for two weeks before the experiment was set up: count those days.
  await dialog.getByLabel('Count performance from').fill(daysAgo(DAYS));
  await expect(page.locator('.MuiDialog-container')).toHaveCSS('opacity', '1');
  await checkPage(page, 'exp-01-start-from-gallery');
  const creating = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/v1/experiments') && r.request().method() === 'POST');
  await dialog.getByRole('button', { name: 'Start experiment' }).click();
  const created = await creating;
  expect(created.status()).toBe(201);
  expect(created.request().postDataJSON()).toMatchObject({
    campaign_id: seed.campaign_id,
    name: 'Headlines E2E',
    metric: 'ctr',
    arms: [{ creative_id: a }, { creative_id: b }],
    start_date: daysAgo(DAYS),
  });
  const experimentId = ((await created.json()) as { id: string }).id;
  await expect(page).toHaveURL(new RegExp(`/experiments/${experimentId}$`));
  await expect(page.getByRole('heading', { name: 'Headlines E2E' })).toBeVisible({ timeout: 60_000 });

  // No performance yet.
  const decision = page.getByTestId('decision');
  // (every decision comes from the backend's Pub/Sub evaluation: generous waits on a busy CI)
  await expect(decision).toHaveAttribute('data-outcome', 'insufficient_data', { timeout: 60_000 });
  await expect(decision).toContainText('Not enough data yet: A, B below 1000 impressions');

  // From here on the experiment page is never touched: what changes arrives by its listener.
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  const navigations: string[] = [];
  page.on('framenavigated', (f) => f === page.mainFrame() && navigations.push(f.url()));
  const polled: string[] = [];
  const onRequest = (r: Request) => {
    if (new URL(r.url()).pathname.includes('/v1/experiments')) polled.push(`${r.method()} ${r.url()}`);
  };
  page.on('request', onRequest);

  // The reports are imported in a second tab, through the web app's import page.
  const importer = await context.newPage();
  await importer.goto('/imports');
  await expect(importer.getByRole('heading', { name: 'Import performance' })).toBeVisible();
  // Two weeks, 4,000 impressions a day each: A 2.0% CTR, B 2.1%. B leads, nothing is settled.
  await importReport(importer, 'ad-report-first.csv', googleReport([[a, 4000, 80], [b, 4000, 84]]), 2 * DAYS);
  await expect(decision).toHaveAttribute('data-outcome', 'inconclusive', { timeout: 60_000 });
  await expect(decision).toContainText(/No winner yet\. B leads on CTR with \d+% probability to be best \(A: \d+%\)/);
  await expect(decision).toContainText('B and A are too close to tell apart within the 42-day runtime');
  await expect(page.getByTestId('arm-B')).toContainText('2.10%');
  await expect(page.getByTestId('arm-B')).toContainText(`“${seed.headlines[1]}”`);
  await expect(page.getByTestId('budget-advice')).toHaveText(/^Keep an even split \(B 50%, A 50%\)/);
  await shot(page, 'exp-02-inconclusive');

  // The platform restates the same days: B's CTR is 3.0%. Now B wins.
  await importReport(importer, 'ad-report-restated.csv', googleReport([[a, 4000, 80], [b, 4000, 120]]), 2 * DAYS);
  await expect(decision).toHaveAttribute('data-outcome', 'winner', { timeout: 60_000 });
  await expect(decision).toContainText('Winner found. B beats A on CTR with >99.9% probability (3.00% vs 2.00%, +50%); choosing B now risks');
  const rowB = page.getByTestId('arm-B');
  await expect(rowB).toContainText('winner');
  await expect(rowB).toContainText('3.00% (2.86% – 3.14%)');
  await expect(page.getByTestId('arm-A')).toContainText('loser');
  await expect(page.getByTestId('budget-advice')).toHaveText('Shift budget to B: B 99%, A 1%.');

  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  expect(navigations, 'the experiment page was reloaded or left').toEqual([]);
  expect(polled, 'the experiment must not be fetched over HTTP while open').toEqual([]);
  page.off('request', onRequest);
  await checkPage(page, 'exp-03-winner');
  await context.close();
});
