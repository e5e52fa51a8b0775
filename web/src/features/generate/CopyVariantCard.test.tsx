import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { CopyVariantCard } from './CopyVariantCard';
import { textLength } from '../../lib/textLength';

describe('CopyVariantCard', () => {
  it('shows each field with its count vs limit and highlights over-limit and violating items', () => {
    render(
      <CopyVariantCard
        index={0}
        platform="google_rsa"
        variant={{
          id: 'v1',
          compliant: false,
          fields: {
            headlines: ['Fresh bread daily', 'This headline is far too long for Google Ads', 'Cheap loaves'],
            descriptions: ['Baked every morning.'],
          },
          limits: { headlines: 30, descriptions: 90 },
          violations: [
            { field: 'headlines[2]', rule: 'banned_word', message: 'Uses the banned word "cheap"', severity: 'error' },
            { field: 'descriptions', rule: 'required_phrase', message: 'Missing "T&Cs apply"', severity: 'error' },
          ],
          scores: {},
        }}
      />,
    );
    const items = screen.getAllByTestId('copy-field');
    expect(items.map((i) => i.dataset.invalid)).toEqual(['false', 'true', 'true', 'false']);
    expect(screen.getByLabelText('17 of 30 characters')).toHaveTextContent('17/30');
    expect(screen.getByLabelText('44 of 30 characters, over the limit')).toBeInTheDocument();
    expect(screen.getByText(/Uses the banned word "cheap"/)).toBeInTheDocument();
    expect(screen.getByText('Missing "T&Cs apply"')).toBeInTheDocument();
    expect(screen.getByText('2 issues')).toBeInTheDocument();
  });

  it('renders only text fields of a real API answer (pins object, empty lists, non-string values)', () => {
    render(
      <CopyVariantCard
        index={0}
        platform="meta"
        variant={{
          id: 'v1',
          compliant: true,
          fields: { headlines: ['Great bread'], paths: [], pins: {}, business_name: [], primary_texts: ['Made for you.'], seed: 3 } as never,
          limits: { primary_texts: 125, headlines: 27 },
          violations: [],
        }}
      />,
    );
    expect(screen.getAllByTestId('copy-field').map((e) => e.textContent)).toEqual(['Great bread11/27', 'Made for you.13/125']);
    expect(screen.queryByText(/Pins/)).not.toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Headlines' })).toBeInTheDocument();
  });

  it('counts double-width characters twice for Google and graphemes for Meta', () => {
    expect(textLength('日本語', 'google_rsa')).toBe(6);
    expect(textLength('日本語', 'meta')).toBe(3);
    expect(textLength('👍🏽 ok', 'meta')).toBe(4);
  });
});
