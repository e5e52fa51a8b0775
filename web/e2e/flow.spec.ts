// End-to-end: sign up -> onboarding -> brand kit -> campaign -> copy -> live image job -> jobs
// list -> approve -> video job,
// with screenshots and an axe check on each page; then a second tenant's user, signed in at the
// same time, must see none of the first tenant's data; last, B deletes B's workspace (A untouched).
import { test, expect, type Page, type Request } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { checkPage, signUpAndOnboard, uniqueEmail } from './helpers';
import { readStack } from './stack';

// 1x1 PNG
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

test.describe.configure({ mode: 'serial' });

const A = { email: uniqueEmail('a'), workspace: 'Acme Bakery E2E', brand: 'Acme Bread', campaign: 'Spring Sourdough E2E' };
const B = { email: uniqueEmail('b'), workspace: 'Globex E2E', brand: 'Globex Brand' };

let pageA: Page;
let pageB: Page;
let campaignUrl = '';
let jobIdA = '';

test.beforeAll(async ({ browser }) => {
  pageA = await (await browser.newContext()).newPage();
});

test('sign up and onboard (tenant + first brand)', async () => {
  await signUpAndOnboard(pageA, { ...A, shots: true });
  await expect(pageA.getByTestId('user-email')).toContainText('owner');
});

test('brand kit editor with logo upload', async () => {
  await pageA.getByRole('link', { name: 'Brand kits' }).click();
  await expect(pageA.getByRole('heading', { name: 'Brand kits' })).toBeVisible();
  await checkPage(pageA, '04-brands');
  await pageA.getByRole('link', { name: new RegExp(A.brand) }).click();
  await expect(pageA.getByRole('form', { name: 'Brand kit' })).toBeVisible();
  await pageA.getByRole('textbox', { name: 'Banned words' }).fill('cheap');
  await pageA.getByRole('textbox', { name: 'Banned words' }).press('Enter');
  await pageA.getByRole('textbox', { name: 'Required phrases' }).fill('Baked fresh daily');
  await pageA.getByRole('textbox', { name: 'Required phrases' }).press('Enter');
  await pageA.getByRole('textbox', { name: 'Colours (#RRGGBB)' }).fill('#8B4513');
  await pageA.getByRole('textbox', { name: 'Colours (#RRGGBB)' }).press('Enter');
  await pageA.getByRole('button', { name: 'Save brand kit' }).click();
  await expect(pageA.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  await pageA.getByLabel('Logo file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG });
  await expect(pageA.getByRole('img', { name: 'Logo preview' })).toBeVisible();
  await pageA.getByRole('button', { name: 'Upload logo' }).click();
  await expect(pageA.getByText('Logo uploaded')).toBeVisible();
  await checkPage(pageA, '05-brand-kit');
});

test('create a campaign', async () => {
  await pageA.getByRole('link', { name: 'Campaigns' }).click();
  await expect(pageA.getByRole('heading', { name: 'Campaigns' })).toBeVisible();
  await pageA.getByRole('link', { name: 'New campaign' }).click();
  await expect(pageA.getByRole('heading', { name: 'New campaign' })).toBeVisible();
  await pageA.getByRole('textbox', { name: 'Campaign name' }).fill(A.campaign);
  await pageA.getByRole('textbox', { name: 'Offer' }).fill('20% off every sourdough loaf this spring');
  await pageA.getByRole('textbox', { name: 'Landing page URL' }).fill('https://acme.example/spring');
  await pageA.getByRole('checkbox', { name: 'Meta' }).check();
  await pageA.getByRole('checkbox', { name: 'Google Search (RSA)' }).check();
  await pageA.getByRole('textbox', { name: 'Product facts' }).fill('Naturally leavened for 36 hours');
  await pageA.getByRole('textbox', { name: 'Product facts' }).press('Enter');
  await pageA.getByRole('textbox', { name: 'Audiences' }).fill('home bakers');
  await pageA.getByRole('textbox', { name: 'Audiences' }).press('Enter');
  await checkPage(pageA, '06-campaign-new');
  await pageA.getByRole('button', { name: 'Create campaign' }).click();
  await expect(pageA.getByRole('heading', { name: 'Generate' })).toBeVisible();
  campaignUrl = new URL(pageA.url()).pathname;
  expect(campaignUrl).toMatch(/^\/campaigns\/[^/]+\/generate$/);
  await expect(pageA.getByText(A.campaign)).toBeVisible();
});

test('generate ad copy: fields with counts vs limits', async () => {
  await pageA.getByRole('button', { name: 'Generate copy' }).click();
  const variant = pageA.getByTestId('copy-variant').first();
  await expect(variant).toBeVisible({ timeout: 60_000 });
  // every field shows "count/limit"
  await expect(variant.getByTestId('copy-field').first()).toContainText(/\d+\/\d+/);
  await checkPage(pageA, '07-generate-copy');
});

test('image job: progress arrives live from Firestore, never polled', async () => {
  const polled: string[] = [];
  const onRequest = (r: Request) => {
    if (/\/v1\/jobs\/[^/?]+$/.test(new URL(r.url()).pathname) && r.method() === 'GET') polled.push(r.url());
  };
  pageA.on('request', onRequest);
  await pageA.getByRole('tab', { name: 'Images' }).click();
  // Enough images that the job is still running when the page first shows it (the local
  // queues render in parallel: a tiny job can end before the first snapshot is painted).
  await pageA.getByRole('spinbutton', { name: 'Variants' }).fill('12');
  for (const ratio of ['4:5', '9:16', '1.91:1']) await pageA.getByRole('checkbox', { name: ratio }).check();
  const started = pageA.waitForResponse((r) => /\/v1\/campaigns\/[^/]+\/jobs$/.test(r.url()) && r.request().method() === 'POST');
  await pageA.getByRole('button', { name: 'Start image set' }).click();
  const startedRes = await started;
  expect(startedRes.status()).toBe(202);
  jobIdA = ((await startedRes.json()) as { id: string }).id;

  const progress = pageA.getByTestId('job-progress');
  await expect(progress).toBeVisible();
  const seen = new Set<string>();
  // Watch the status chip change while the page stays untouched: this only happens by onSnapshot.
  const deadline = Date.now() + 150_000;
  let status = '';
  while (Date.now() < deadline) {
    status = (await progress.getByTestId('job-status').textContent().catch(() => null)) ?? '';
    if (status) seen.add(status);
    if (['succeeded', 'partially succeeded', 'failed', 'cancelled'].includes(status)) break;
    await pageA.waitForTimeout(100);
  }
  expect(['succeeded', 'partially succeeded']).toContain(status);
  expect(seen.size, `statuses seen live: ${[...seen].join(', ')}`).toBeGreaterThan(1);
  await expect(progress.getByTestId('job-item-done').first()).toBeVisible();
  await expect(progress.getByRole('progressbar', { name: 'Job progress' })).toHaveAttribute('aria-valuenow', '100');
  expect(polled, 'the job must not be polled over HTTP').toEqual([]);
  pageA.off('request', onRequest);
  await checkPage(pageA, '08-generate-image-job');
});

test('jobs list: the image job is listed, newest first, with a link to its page', async () => {
  // The list is a Firestore listener: no GET /v1/jobs (the list endpoint) while on the page.
  const listed: string[] = [];
  const onRequest = (r: Request) => {
    if (/\/v1\/jobs\/?$/.test(new URL(r.url()).pathname) && r.method() === 'GET') listed.push(r.url());
  };
  pageA.on('request', onRequest);
  await pageA.getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(pageA).toHaveURL(/\/jobs$/);
  await expect(pageA.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible();
  const row = pageA.locator(`[data-testid="job-row"][data-job-id="${jobIdA}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText('Image set');
  await expect(row).toContainText(A.campaign);
  await expect(row.getByTestId('job-status')).toHaveText(/^(succeeded|partially succeeded)$/);
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  const link = row.getByRole('link', { name: /^Open/ });
  await expect(link).toHaveAttribute('href', `/jobs/${jobIdA}`);
  await checkPage(pageA, '14-jobs');
  pageA.off('request', onRequest);
  expect(listed).toEqual([]);
  await link.click();
  await expect(pageA).toHaveURL(new RegExp(`/jobs/${jobIdA}$`));
  await expect(pageA.getByTestId('job-status')).toHaveText(/succeeded/);
  // back to the campaign's Generate page, where the next step starts
  await pageA.goto(campaignUrl);
  await expect(pageA.getByRole('heading', { name: 'Generate' })).toBeVisible();
});

test('gallery: filter and approve a creative', async () => {
  await pageA.getByRole('link', { name: 'Open gallery' }).click();
  await expect(pageA.getByRole('heading', { name: 'Creative gallery' })).toBeVisible();
  const cards = pageA.getByTestId('creative-card');
  await expect(cards.first()).toBeVisible();
  await pageA.getByRole('combobox', { name: 'Kind' }).click();
  await pageA.getByRole('option', { name: 'image' }).click();
  await expect(pageA).toHaveURL(/kind=image/);
  await expect(pageA.getByRole('listbox')).toHaveCount(0);
  const draft = pageA.locator('[data-testid="creative-card"][data-status="draft"]').first();
  await expect(draft).toBeVisible();
  await checkPage(pageA, '09-gallery');
  const label = await draft.getAttribute('aria-label');
  await draft.getByRole('button', { name: 'Approve' }).click();
  const same = pageA.getByRole('article', { name: label! });
  await expect(same.first().getByTestId('creative-status')).toHaveText('approved');
});

test('video job: the assembled video plays in the browser at the asked length and ratio', async () => {
  await pageA.goto(campaignUrl);
  await expect(pageA.getByRole('heading', { name: 'Generate' })).toBeVisible();
  await pageA.getByRole('tab', { name: 'Video' }).click();
  // The form's defaults: 6 seconds, 9:16, 3 scenes.
  await pageA.getByRole('button', { name: 'Start video' }).click();
  // The page also follows the campaign's earlier jobs (the image set, already succeeded): watch
  // the video job's own panel, or its status would be read from the image set's.
  const progress = pageA.getByTestId('job-progress').filter({ has: pageA.getByRole('heading', { name: 'Video', level: 3 }) });
  await expect(progress.getByTestId('job-status')).toHaveText('succeeded', { timeout: 150_000 });
  const video = progress.locator('video').first();
  await expect(video).toBeVisible();
  // Chromium decodes the MP4 from Storage: its metadata gives the length and the frame.
  const meta = await video.evaluate(async (v: HTMLVideoElement) => {
    if (v.readyState < 1) {
      await new Promise((resolve, reject) => {
        v.addEventListener('loadedmetadata', resolve, { once: true });
        v.addEventListener('error', () => reject(new Error(`video error ${v.error?.code}`)), { once: true });
        v.load();
      });
    }
    return { duration: v.duration, width: v.videoWidth, height: v.videoHeight };
  });
  expect(Math.abs(meta.duration - 6)).toBeLessThan(0.3);
  expect(meta.width * 16).toBe(meta.height * 9);
  await checkPage(pageA, '15-video-job');
});

/** The first file of a ZIP (our exports put the sheet first), inflated with Node's zlib. */
function firstZipEntry(zip: Buffer): string {
  expect(zip.readUInt32LE(0)).toBe(0x04034b50);
  const method = zip.readUInt16LE(8);
  const size = zip.readUInt32LE(18);
  const start = 30 + zip.readUInt16LE(26) + zip.readUInt16LE(28);
  const data = zip.subarray(start, start + size);
  return (method === 8 ? inflateRawSync(data) : data).toString('utf8').replace(/^\ufeff/, '');
}

test('export the campaign for Meta, import a report of it, see the numbers on the creatives', async () => {
  const performanceUrl = campaignUrl.replace(/\/generate$/, '/performance');
  await pageA.goto(performanceUrl);
  await expect(pageA.getByRole('heading', { name: /performance/ })).toBeVisible();
  const downloading = pageA.waitForEvent('download');
  await pageA.getByRole('button', { name: 'Meta bulk sheet (ZIP)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/-meta\.zip$/);
  await expect(pageA.getByRole('status').filter({ hasText: /creatives exported/ })).toBeVisible();
  const sheet = firstZipEntry(readFileSync((await download.path())!));
  const [header, ...rows] = sheet.trim().split('\r\n');
  expect(header).toContain('Ad Name');
  // the approved image travels with its identity in the Ad Name and URL Tags
  const adNames = rows.map((r) => /[^,]*\[ag:[A-Za-z0-9_-]+\]/.exec(r)![0]);
  expect(adNames.length).toBeGreaterThan(0);
  await checkPage(pageA, '16-performance-export');

  // What Ads Manager exports a day later: one row per ad and day, money in the header currency.
  const report = [
    'Reporting starts,Reporting ends,Ad name,Impressions,Reach,Link clicks,Amount spent (USD),Attribution setting',
    ...adNames.map((name) => `2026-11-20,2026-11-20,${name},"1,234",1000,56,12.34,7-day click or 1-day view`),
    'Total,,,,,,,',
  ].join('\r\n');
  await pageA.getByRole('link', { name: 'Import performance' }).click();
  await expect(pageA.getByRole('heading', { name: 'Import performance' })).toBeVisible();
  await pageA.getByTestId('report-file').setInputFiles({ name: 'meta-export.csv', mimeType: 'text/csv', buffer: Buffer.from(report) });
  await pageA.getByRole('button', { name: 'Import' }).click();
  await expect(pageA.getByTestId('import-status')).toHaveText(
    new RegExp(`Done: ${adNames.length} of ${adNames.length} rows matched`),
    { timeout: 60_000 },
  );
  await checkPage(pageA, '17-import');

  await pageA.goto(performanceUrl);
  const table = pageA.getByRole('table', { name: 'Creative performance' });
  await expect(table).toBeVisible();
  await expect(table.getByRole('row')).toHaveCount(adNames.length + 1);
  await expect(table).toContainText('1,234');
  await expect(table).toContainText('4.54 %'); // 56 / 1234
  await expect(pageA.getByRole('table', { name: 'Campaign totals' })).toContainText('$');
  await expect(pageA.getByTestId('daily-chart')).toBeVisible();
  await checkPage(pageA, '18-performance');
});

test('team & access page', async () => {
  await pageA.getByRole('link', { name: 'Team & access' }).click();
  await expect(pageA.getByRole('heading', { name: 'Team & access' })).toBeVisible();
  await expect(pageA.getByRole('table', { name: 'Members' })).toContainText(A.email);
  await checkPage(pageA, '10-team');
});

test('invitation: a new user accepts, gets the role after the token refresh, sees the team data', async ({ browser }) => {
  const C = uniqueEmail('c');
  await pageA.goto('/team');
  const form = pageA.getByRole('form', { name: 'Invite a member' });
  const created = pageA.waitForResponse((r) => r.url().endsWith('/v1/invitations') && r.request().method() === 'POST');
  await form.getByRole('textbox', { name: 'Email to invite' }).fill(C);
  await form.getByRole('button', { name: 'Invite' }).click();
  const inv = (await (await created).json()) as { id: string };
  await expect(pageA.getByRole('table', { name: 'Invitations' })).toContainText(C);

  const pageC = await (await browser.newContext()).newPage();
  await pageC.goto(`/invite/${inv.id}`);
  await expect(pageC).toHaveURL(/\/signin\?next=/);
  await pageC.getByRole('link', { name: 'Create an account' }).click();
  await pageC.getByRole('textbox', { name: 'Email' }).fill(C);
  await pageC.getByLabel(/^Password/).fill('e2e-password-123');
  await pageC.getByLabel(/^Confirm password/).fill('e2e-password-123');
  await pageC.getByRole('button', { name: 'Create account' }).click();
  await expect(pageC.getByRole('heading', { name: 'Join a team' })).toBeVisible();
  // Accepting needs a verified email: send the link, "open" it through the Auth emulator.
  await expect(pageC.getByRole('button', { name: 'Accept invitation' })).toBeDisabled();
  await pageC.getByRole('button', { name: 'Send verification email' }).click();
  await expect(pageC.getByText('Verification email sent.')).toBeVisible();
  await checkPage(pageC, '12-accept-invitation');
  const stack = readStack();
  const codes = await pageC.request.get(`http://${stack.auth_emulator}/emulator/v1/projects/${stack.project_id}/oobCodes`);
  const link = ((await codes.json()) as { oobCodes: { email: string; oobLink: string; requestType: string }[] }).oobCodes.find(
    (c) => c.email === C && c.requestType === 'VERIFY_EMAIL',
  )?.oobLink;
  expect(link, 'verification link in the Auth emulator').toBeTruthy();
  expect((await pageC.request.get(link!)).ok()).toBe(true);
  await pageC.getByRole('button', { name: 'I have verified my email' }).click();
  await expect(pageC.getByRole('button', { name: 'Accept invitation' })).toBeEnabled();
  await pageC.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(pageC.getByRole('heading', { name: 'Campaigns' })).toBeVisible();
  await expect(pageC.getByTestId('user-email')).toContainText('editor');
  await expect(pageC.getByText(A.campaign)).toBeVisible();
  await pageC.context().close();

  // The owner limits the new member to A's brand through the Team page's dialog.
  await pageA.goto('/team');
  const members = pageA.getByRole('table', { name: 'Members' });
  const row = members.getByRole('row').filter({ hasText: C });
  await expect(row).toContainText('All brands');
  await row.getByRole('button', { name: `Edit brands of ${C}` }).click();
  const dialog = pageA.getByRole('dialog', { name: `Brand access for ${C}` });
  await dialog.getByRole('switch', { name: 'All brands' }).click();
  await dialog.getByRole('checkbox', { name: A.brand, exact: true }).check();
  await checkPage(pageA, '16-edit-brand-access');
  const patched = pageA.waitForResponse((r) => r.url().includes('/v1/members/') && r.request().method() === 'PATCH');
  await dialog.getByRole('button', { name: 'Save' }).click();
  const res = await patched;
  expect(res.status()).toBe(200);
  const body = res.request().postDataJSON() as { brand_ids: string[] };
  expect(Object.keys(body)).toEqual(['brand_ids']);
  expect(body.brand_ids).toHaveLength(1);
  expect(((await res.json()) as { brand_ids: string[] }).brand_ids).toEqual(body.brand_ids);
  await expect(dialog).toHaveCount(0);
  await expect(row).toContainText(A.brand);
  await expect(row).not.toContainText('All brands');
});

test('phone width renders the campaigns page with a menu button', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await pageA.context().storageState({ indexedDB: true }) });
  const phone = await ctx.newPage();
  await phone.goto('/campaigns');
  await expect(phone.getByRole('button', { name: 'Open navigation' })).toBeVisible();
  await expect(phone.getByText(A.campaign)).toBeVisible();
  await checkPage(phone, '11-campaigns-phone');
  await ctx.close();
});

test("another tenant's user, signed in at the same time, sees none of the first tenant's data", async ({ browser }) => {
  pageB = await (await browser.newContext()).newPage();
  await signUpAndOnboard(pageB, B);
  // A is still signed in, in its own context.
  await pageA.reload();
  await expect(pageA.getByRole('heading', { name: 'Team & access' })).toBeVisible();

  await pageB.goto('/campaigns');
  await expect(pageB.getByRole('heading', { name: 'Campaigns' })).toBeVisible();
  await expect(pageB.getByText('No campaigns yet')).toBeVisible();
  await expect(pageB.getByText(A.campaign)).toHaveCount(0);

  await pageB.goto('/brands');
  await expect(pageB.getByRole('heading', { name: B.brand })).toBeVisible();
  await expect(pageB.getByText(A.brand)).toHaveCount(0);

  await pageB.goto('/gallery');
  await expect(pageB.getByText('No creatives match these filters')).toBeVisible();
  await expect(pageB.getByTestId('creative-card')).toHaveCount(0);

  // Direct links to A's campaign fail for B.
  await pageB.goto(campaignUrl);
  await expect(pageB.getByRole('alert')).toBeVisible();
  await expect(pageB.getByText(A.campaign)).toHaveCount(0);

  // B's listener lives under B's tenant path, where A's job does not exist: nothing arrives
  // (reading A's path directly is refused by the rules: tests/rules covers that).
  await pageB.goto(`/jobs/${jobIdA}`);
  await expect(pageB.getByText('Waiting for the job to start…')).toBeVisible();
  await expect(pageB.getByTestId('job-status')).toHaveCount(0);
  await expect(pageB.getByText(A.campaign)).toHaveCount(0);

  await pageB.goto('/jobs');
  await expect(pageB.getByText('No jobs yet')).toBeVisible();
  await expect(pageB.getByTestId('job-row')).toHaveCount(0);

  await pageB.goto('/team');
  await expect(pageB.getByRole('table', { name: 'Members' })).not.toContainText(A.email);
  await checkPage(pageB, '13-tenant-b-team');
});

test("B's owner deletes B's workspace through the dialog; B's data is gone, A is untouched", async () => {
  await pageB.getByRole('link', { name: 'Workspace' }).click();
  await expect(pageB.getByRole('heading', { name: 'Workspace', level: 1 })).toBeVisible();
  await expect(pageB.getByRole('textbox', { name: 'Workspace name' })).toHaveValue(B.workspace);
  await pageB.getByRole('button', { name: 'Delete workspace…' }).click();
  const dialog = pageB.getByRole('dialog', { name: 'Delete workspace' });
  await expect(dialog).toContainText('API keys');
  const del = dialog.getByRole('button', { name: 'Delete workspace' });
  const confirm = dialog.getByRole('textbox', { name: 'Type the workspace name to confirm' });
  await expect(del).toBeDisabled();
  await confirm.fill(B.workspace.toLowerCase());
  await expect(del).toBeDisabled();
  await confirm.fill(B.workspace);
  await expect(del).toBeEnabled();
  // the dialog fades in: axe would measure semi-transparent text
  await expect(pageB.locator('.MuiDialog-container')).toHaveCSS('opacity', '1');
  await checkPage(pageB, '17-delete-workspace');
  const deleted = pageB.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/v1/tenant') && r.request().method() === 'DELETE');
  await del.click();
  const res = await deleted;
  expect(res.status()).toBe(202);
  expect(res.request().postDataJSON()).toEqual({ confirm: B.workspace });
  expect(((await res.json()) as { status: string }).status).toBe('deleting');
  const done = pageB.getByRole('dialog', { name: 'Workspace deleted' });
  await expect(done).toContainText('is being deleted');
  await done.getByRole('button', { name: 'Create a new workspace' }).click();
  // No tenant any more: B lands on onboarding, and B's pages lead there too.
  await expect(pageB.getByRole('heading', { name: 'Welcome to AdGenius' })).toBeVisible();
  await expect(pageB.getByRole('textbox', { name: 'Workspace name' })).toBeVisible();
  await expect(pageB.getByRole('link', { name: 'Brand kits' })).toHaveCount(0);
  await pageB.goto('/brands');
  await expect(pageB.getByRole('heading', { name: 'Welcome to AdGenius' })).toBeVisible();
  await expect(pageB.getByText(B.brand)).toHaveCount(0);
  await pageB.context().close();

  // A is untouched.
  await pageA.goto('/brands');
  await expect(pageA.getByRole('heading', { name: A.brand })).toBeVisible();
  await pageA.goto('/campaigns');
  await expect(pageA.getByText(A.campaign)).toBeVisible();
});
