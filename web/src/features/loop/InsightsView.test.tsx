import { describe, expect, it, vi } from 'vitest';
import { screen } from '@testing-library/react';
import { renderApp } from '../../test/render';
import type { CampaignInsights, InsightEffect } from '../../api/types';
import { InsightsView, effectSentence } from './InsightsView';

const effect = (over: Partial<InsightEffect>): InsightEffect => ({
  feature: 'has_number', label: 'headlines with a number', relative_effect: 0.12, interval: [0.04, 0.2],
  prob_positive: 0.99, creatives_with: 12, creatives_without: 26, confident: true, summary: '', ...over,
});
const INSIGHTS: CampaignInsights = {
  campaign_id: 'c1', metric: 'ctr', level: 0.9, creatives: 38, baseline_rate: 0.02, status: 'ok', reason: '',
  start: '2026-09-01', end: '2026-11-29',
  effects: [
    effect({}),
    effect({ feature: 'question', label: 'a question', relative_effect: 0.09, interval: [-0.05, 0.25], confident: false }),
  ],
};

describe('effectSentence', () => {
  it('states a confident effect with its interval and how many creatives', () => {
    expect(effectSentence(effect({}), 'ctr', 0.9)).toBe(
      'Headlines with a number: +12% CTR (90% interval +4% to +20%), 38 creatives, 12 with it',
    );
    expect(effectSentence(effect({ relative_effect: -0.1, interval: [-0.18, -0.02] }), 'ctr', 0.9)).toBe(
      'Headlines with a number: −10% CTR (90% interval −18% to −2%), 38 creatives, 12 with it',
    );
  });

  it('never claims a direction the interval does not support', () => {
    const open = effectSentence(effect({ relative_effect: 0.09, interval: [-0.05, 0.25], confident: false }), 'ctr', 0.9);
    expect(open).toBe('Headlines with a number: no clear effect on CTR yet (90% interval −5% to +25%: it could go either way), 38 creatives, 12 with it');
    expect(open).not.toContain('+9%');
    // even if a caller marked it confident, an interval across zero is not stated as an effect
    const inconsistent = effectSentence(effect({ interval: [-0.01, 0.2], confident: true }), 'ctr', 0.9);
    expect(inconsistent).toContain('no clear effect');
  });
});

describe('InsightsView', () => {
  it('shows the clear effects first, the open ones as open', async () => {
    const campaignInsights = vi.fn(async () => INSIGHTS);
    renderApp(<InsightsView campaignId="c1" />, { api: { campaignInsights } });
    const clear = await screen.findByTestId('effect-has_number');
    expect(campaignInsights).toHaveBeenCalledWith('c1', { metric: 'ctr' });
    expect(clear).toHaveAttribute('data-confident', 'yes');
    expect(clear).toHaveTextContent('+12% CTR (90% interval +4% to +20%)');
    expect(screen.getByTestId('effect-question')).toHaveTextContent('no clear effect on CTR yet');
    expect(screen.getByText(/From 38 creatives between 2026-09-01 and 2026-11-29/)).toBeInTheDocument();
  });

  it('says when there is not enough data', async () => {
    const campaignInsights = vi.fn(async () => ({
      ...INSIGHTS, status: 'insufficient_data' as const, effects: [],
      reason: '3 creatives with at least 1000 impressions; 8 are needed',
    }));
    renderApp(<InsightsView campaignId="c1" />, { api: { campaignInsights } });
    expect(await screen.findByTestId('insights-insufficient')).toHaveTextContent(
      'Not enough data to say yet: 3 creatives with at least 1000 impressions; 8 are needed.',
    );
  });
});
