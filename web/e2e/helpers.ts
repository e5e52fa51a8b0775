import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS } from './stack';

mkdirSync(ARTIFACTS, { recursive: true });

/** Full-page screenshot to artifacts/e2e/<name>.png. */
export async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** axe-core check: no serious or critical violations on the current page. */
export async function expectAccessible(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
  expect(bad, `axe violations on ${name}`).toEqual([]);
}

export async function checkPage(page: Page, name: string) {
  // Bounded: a <video> keeps its media request open, so a page with one never goes idle.
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
  // a closing select menu fades out (semi-transparent text would be measured by axe)
  await expect(page.locator('.MuiMenu-root')).toHaveCount(0);
  await shot(page, name);
  await expectAccessible(page, name);
}

export function uniqueEmail(tag: string) {
  return `e2e-${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

export async function signUpAndOnboard(page: Page, opts: { email: string; workspace: string; brand: string; shots?: boolean }) {
  await page.goto('/signup');
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  if (opts.shots) await checkPage(page, '01-signup');
  await page.getByRole('textbox', { name: 'Email' }).fill(opts.email);
  await page.getByLabel(/^Password/).fill('e2e-password-123');
  await page.getByLabel(/^Confirm password/).fill('e2e-password-123');
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page.getByRole('heading', { name: 'Welcome to AdGenius' })).toBeVisible();
  if (opts.shots) await checkPage(page, '02-onboarding-workspace');
  await page.getByRole('textbox', { name: 'Workspace name' }).fill(opts.workspace);
  await page.getByRole('button', { name: 'Create workspace' }).click();

  await expect(page.getByRole('form', { name: 'Brand kit' })).toBeVisible();
  if (opts.shots) await checkPage(page, '03-onboarding-brand');
  await page.getByRole('textbox', { name: 'Brand name' }).fill(opts.brand);
  await page.getByRole('textbox', { name: 'Voice' }).fill('Friendly expert, plain words');
  await page.getByRole('button', { name: 'Create brand and continue' }).click();
  await expect(page.getByRole('heading', { name: 'New campaign' })).toBeVisible();
}
