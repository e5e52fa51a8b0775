import type { Totals } from '../../api/types';

export const pct = (v: number | null | undefined) => (v == null ? '–' : `${(v * 100).toFixed(2)} %`);
export const int = (v: number) => v.toLocaleString('en-US');
export function money(micros: number, currency: string | null): string {
  const value = micros / 1_000_000;
  if (!currency) return `${value.toFixed(2)} (currency unknown)`;
  try {
    return value.toLocaleString('en-US', { style: 'currency', currency });
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}
export const groupLabel = (t: Totals) =>
  [t.platform === 'google_ads' ? 'Google Ads' : t.platform === 'meta' ? 'Meta' : t.platform, t.attribution !== 'default' ? t.attribution : null, t.currency]
    .filter(Boolean)
    .join(' · ');
