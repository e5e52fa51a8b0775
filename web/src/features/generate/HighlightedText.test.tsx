import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { CopyVariantCard } from './CopyVariantCard';
import { segments } from './HighlightedText';

describe('policy violations in the copy view', () => {
  it('splits text at code-point spans, so an emoji before a span does not shift it', () => {
    const text = 'Run 🏃 FREE now';
    const parts = segments(text, [
      { field: 'headlines[0]', rule: 'google.symbols.unsupported', message: 'emoji', severity: 'error', span: [4, 5] },
      { field: 'headlines[0]', rule: 'google.capitalization.excessive', message: 'caps', severity: 'error', span: [6, 10] },
    ]);
    expect(parts.map((p) => [p.text, p.violations.map((v) => v.rule)])).toEqual([
      ['Run ', []],
      ['🏃', ['google.symbols.unsupported']],
      [' ', []],
      ['FREE', ['google.capitalization.excessive']],
      [' now', []],
    ]);
  });

  it('highlights each violation at its span with its rule and a link to the policy page', () => {
    render(
      <CopyVariantCard
        index={0}
        platform="google_rsa"
        variant={{
          id: 'v1',
          compliant: false,
          fields: {
            headlines: ['Best blender', 'Call 1-800-555-0199'],
            descriptions: ['Blends anything.'],
          },
          limits: { headlines: 30, descriptions: 90 },
          violations: [
            {
              field: 'headlines[0]',
              rule: 'google.claims.superlative',
              message: "unverified claim 'Best'",
              severity: 'warning',
              span: [0, 4],
              source: 'https://support.google.com/adwordspolicy/answer/1331529',
            },
            {
              field: 'headlines[1]',
              rule: 'google.phone_number',
              message: 'phone number in ad text: use a call asset instead',
              severity: 'error',
              span: [5, 19],
              source: 'https://support.google.com/adspolicy/answer/1310892',
            },
          ],
          compliance: { compliant: false, errors: 1, warnings: 1, by_rule: {}, special_ad_categories: [] },
          notes: ['A phone number in the brief was left out of the ad text: add it as a call asset instead.'],
        }}
      />,
    );
    const marks = document.querySelectorAll('mark');
    expect(Array.from(marks, (m) => [m.textContent, m.dataset.rule, m.dataset.severity])).toEqual([
      ['Best', 'google.claims.superlative', 'warning'],
      ['1-800-555-0199', 'google.phone_number', 'error'],
    ]);
    // A warning alone does not mark the item invalid; an error does.
    expect(screen.getAllByTestId('copy-field').map((i) => i.dataset.invalid)).toEqual(['false', 'true', 'false']);
    const links = screen.getAllByRole('link', { name: 'policy' });
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://support.google.com/adwordspolicy/answer/1331529',
      'https://support.google.com/adspolicy/answer/1310892',
    ]);
    expect(screen.getByText('google.phone_number')).toBeInTheDocument();
    expect(screen.getByText('1 warning')).toBeInTheDocument();
    expect(screen.getByText(/add it as a call asset/)).toBeInTheDocument();
  });

  it('asks to declare Meta special ad categories', () => {
    render(
      <CopyVariantCard
        index={0}
        platform="meta"
        variant={{
          id: 'v2',
          compliant: true,
          fields: { primary_texts: ['Get a personal loan today.'] },
          limits: { primary_texts: 125 },
          violations: [
            { field: 'primary_texts[0]', rule: 'meta.special_ad_category.credit', message: 'declare', severity: 'warning', span: [15, 19] },
          ],
          compliance: { compliant: true, errors: 0, warnings: 1, by_rule: {}, special_ad_categories: ['credit'] },
        }}
      />,
    );
    expect(screen.getByText(/Declare the Meta special ad category: credit/)).toBeInTheDocument();
    expect(document.querySelector('mark')?.textContent).toBe('loan');
  });
});
