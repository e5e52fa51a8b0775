import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CampaignForm, emptyCampaign, validateCampaign } from './CampaignForm';

const brands = [
  { id: 'b1', name: 'Acme' },
  { id: 'b2', name: 'Globex' },
];

describe('CampaignForm', () => {
  it('validates name, URL and platforms before submitting', async () => {
    const onSubmit = vi.fn(async () => {});
    render(<CampaignForm initial={emptyCampaign('b1')} brands={brands} onSubmit={onSubmit} />);
    await userEvent.type(screen.getByLabelText(/^Landing page URL/), 'example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Save campaign' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('Name the campaign')).toBeInTheDocument();
    expect(screen.getByText(/Enter a full URL/)).toBeInTheDocument();
    expect(screen.getByText('Pick at least one platform')).toBeInTheDocument();
  });

  it('submits the payload of the contract', async () => {
    const onSubmit = vi.fn(async () => {});
    render(<CampaignForm initial={emptyCampaign('b1')} brands={brands} onSubmit={onSubmit} />);
    await userEvent.type(screen.getByLabelText(/^Campaign name/), ' Spring sale ');
    await userEvent.type(screen.getByLabelText(/^Offer/), '20% off');
    await userEvent.type(screen.getByLabelText(/^Landing page URL/), 'https://acme.test/spring');
    await userEvent.click(screen.getByLabelText('Meta'));
    await userEvent.click(screen.getByLabelText('Google Search (RSA)'));
    await userEvent.type(screen.getByRole('textbox', { name: /^Product facts/ }), 'Ships in 24h{Enter}');
    await userEvent.type(screen.getByRole('textbox', { name: /^Audiences/ }), 'runners{Enter}');
    await userEvent.type(screen.getByRole('textbox', { name: /^Languages/ }), 'de{Enter}');
    await userEvent.click(screen.getByRole('button', { name: 'Save campaign' }));
    expect(onSubmit).toHaveBeenCalledWith({
      brand_id: 'b1',
      name: 'Spring sale',
      objective: 'traffic',
      offer: '20% off',
      product_facts: ['Ships in 24h'],
      landing_url: 'https://acme.test/spring',
      audiences: ['runners'],
      platforms: ['google_rsa', 'meta'],
      languages: ['en', 'de'],
    });
  });

  it('rejects bad language codes', () => {
    expect(validateCampaign({ ...emptyCampaign('b'), name: 'x', landing_url: 'https://a.b', platforms: ['meta'], languages: ['English'] }).languages).toBeDefined();
    expect(validateCampaign({ ...emptyCampaign('b'), name: 'x', landing_url: 'https://a.b', platforms: ['meta'], languages: ['pt-BR'] }).languages).toBeUndefined();
  });
});
