import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
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
    expect(screen.getByText('Describe the product or offer')).toBeInTheDocument();
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

describe('CampaignEditPage', () => {
  it('PATCHes only editable fields with If-Match from the GET', async () => {
    const { renderApp } = await import('../../test/render');
    const { default: CampaignEditPage } = await import('./CampaignEditPage');
    const stored = {
      id: 'c1', tenant_id: 't1', created_at: 'x', brand_id: 'b1', name: 'Old', objective: 'sales', offer: 'Deal',
      product_facts: [], landing_url: 'https://a.test', audiences: [], platforms: ['meta'], languages: ['en'],
    };
    const api = {
      listBrands: vi.fn(async () => ({ items: brands, next_cursor: null })),
      getCampaign: vi.fn(async () => ({ campaign: stored, etag: '"v3"' })),
      // the loop panel and the insights view below the form
      listLoopCandidates: vi.fn(async () => ({ items: [], next_cursor: null })),
      campaignInsights: vi.fn(async () => ({ status: 'insufficient_data', reason: 'no data', effects: [] })),
      updateCampaign: vi.fn(async (_id: string, body: object) => ({ campaign: { ...stored, ...body }, etag: '"v4"' })),
    };
    renderApp(<CampaignEditPage />, { api: api as never, route: '/campaigns/c1', path: '/campaigns/:id' });
    const name = await screen.findByRole('textbox', { name: /^Campaign name/ });
    await userEvent.clear(name);
    await userEvent.type(name, 'New');
    await userEvent.click(screen.getByRole('button', { name: 'Save campaign' }));
    expect(api.updateCampaign).toHaveBeenCalledWith(
      'c1',
      { name: 'New', objective: 'sales', offer: 'Deal', product_facts: [], landing_url: 'https://a.test', audiences: [], platforms: ['meta'], languages: ['en'] },
      '"v3"',
    );
    expect(await screen.findByText('Saved')).toBeInTheDocument();
  });

  it('explains a 412 conflict and offers to reload', async () => {
    const { renderApp } = await import('../../test/render');
    const { default: CampaignEditPage } = await import('./CampaignEditPage');
    const { ApiError } = await import('../../api/client');
    const stored = { id: 'c1', brand_id: 'b1', name: 'Old', objective: 'sales', offer: 'Deal', product_facts: [], audiences: [], platforms: ['meta'], languages: ['en'] };
    const api = {
      listBrands: vi.fn(async () => ({ items: brands, next_cursor: null })),
      getCampaign: vi.fn(async () => ({ campaign: stored, etag: '"v3"' })),
      // the loop panel and the insights view below the form
      listLoopCandidates: vi.fn(async () => ({ items: [], next_cursor: null })),
      campaignInsights: vi.fn(async () => ({ status: 'insufficient_data', reason: 'no data', effects: [] })),
      updateCampaign: vi.fn(async () => {
        throw new ApiError(412, 'precondition_failed', 'The campaign changed since you loaded it');
      }),
    };
    renderApp(<CampaignEditPage />, { api: api as never, route: '/campaigns/c1', path: '/campaigns/:id' });
    await screen.findByRole('textbox', { name: /^Campaign name/ });
    await userEvent.click(screen.getByRole('button', { name: 'Save campaign' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Someone else changed this campaign');
    expect(alert).toHaveTextContent('The campaign changed since you loaded it');
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(api.getCampaign).toHaveBeenCalledTimes(2));
  });
});
