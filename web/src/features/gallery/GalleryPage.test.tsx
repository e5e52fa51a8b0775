import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import GalleryPage from './GalleryPage';
import { renderApp } from '../../test/render';
import type { Creative } from '../../api/types';

const creatives: Creative[] = [
  { id: 'cr1', kind: 'copy', status: 'draft', campaign_id: 'c1', platform: 'meta', engine: 'local', fields: { headlines: ['Fresh bread daily'] } },
  {
    id: 'cr2',
    kind: 'image',
    status: 'draft',
    campaign_id: 'c1',
    ratio: '9:16',
    engine: 'imagen',
    assets: [{ ratio: '9:16', width: 1080, height: 1920, url: 'https://cdn.test/cr2.png', content_type: 'image/png' }],
  },
  {
    id: 'cr3',
    kind: 'video',
    status: 'approved',
    campaign_id: 'c2',
    ratio: '1:1',
    engine: 'veo',
    assets: [{ ratio: '1:1', width: 720, height: 720, url: 'https://cdn.test/cr3.mp4', content_type: 'video/mp4', duration_s: 6 }],
  },
];

function fakeApi() {
  return {
    listCampaigns: vi.fn(async () => ({ items: [{ id: 'c1', name: 'Spring sale' }, { id: 'c2', name: 'Summer' }], next_cursor: null })),
    listCreatives: vi.fn(async (q: Record<string, unknown>) => ({
      items: creatives.filter((c) => (!q.campaign_id || c.campaign_id === q.campaign_id) && (!q.status || c.status === q.status)),
      next_cursor: null,
    })),
    approveCreative: vi.fn(async (id: string) => ({ ...creatives.find((c) => c.id === id)!, status: 'approved' })),
    rejectCreative: vi.fn(async (id: string, comment: string) => ({ ...creatives.find((c) => c.id === id)!, status: 'rejected', review_comment: comment })),
    regenerateCreative: vi.fn(async () => ({})),
    moreLikeThis: vi.fn(async () => ({})),
    search: vi.fn(async () => ({ items: [{ creative: creatives[1], score: 0.91 }] })),
    getCreative: vi.fn(),
  };
}

describe('GalleryPage', () => {
  it('applies filters from the URL and the filter controls to the API query', async () => {
    const api = fakeApi();
    renderApp(<GalleryPage />, { api: api as never, route: '/gallery?campaign_id=c1' });
    expect(await screen.findAllByTestId('creative-card')).toHaveLength(2);
    expect(api.listCreatives).toHaveBeenLastCalledWith(expect.objectContaining({ campaign_id: 'c1' }));
    // image shown in its ratio
    const img = screen.getByAltText(/\(9:16\)$/);
    expect(img.parentElement).toHaveAttribute('data-ratio', '9:16');

    await userEvent.click(screen.getByRole('combobox', { name: 'Status' }));
    await userEvent.click(await screen.findByRole('option', { name: 'approved' }));
    await waitFor(() => expect(api.listCreatives).toHaveBeenLastCalledWith(expect.objectContaining({ campaign_id: 'c1', status: 'approved' })));
    expect(await screen.findByText('No creatives match these filters')).toBeInTheDocument();
  });

  it('filters by the brand picture a creative was made from, and clears that filter', async () => {
    const api = fakeApi();
    renderApp(<GalleryPage />, { api: api as never, route: '/gallery?brand_asset_id=asset9' });
    await screen.findAllByTestId('creative-card');
    expect(api.listCreatives).toHaveBeenLastCalledWith(expect.objectContaining({ brand_asset_id: 'asset9' }));
    const chip = screen.getByRole('button', { name: 'Brand picture filter' });
    expect(chip).toHaveTextContent('Made from brand picture asset9');
    fireEvent.click(within(chip).getByTestId('CancelIcon'));
    await waitFor(() => expect(api.listCreatives.mock.lastCall?.[0]).not.toHaveProperty('brand_asset_id'));
  });

  it('plays videos with controls', async () => {
    const api = fakeApi();
    renderApp(<GalleryPage />, { api: api as never, route: '/gallery?campaign_id=c2' });
    const video = await screen.findByLabelText(/\(1:1\)$/);
    expect(video.tagName).toBe('VIDEO');
    expect(video).toHaveAttribute('controls');
  });

  it('approves a creative and updates its status', async () => {
    const api = fakeApi();
    renderApp(<GalleryPage />, { api: api as never, route: '/gallery' });
    const card = (await screen.findAllByTestId('creative-card'))[0];
    await userEvent.click(within(card).getByRole('button', { name: 'Approve' }));
    expect(api.approveCreative).toHaveBeenCalledWith('cr1');
    await waitFor(() => expect(within(card).getByTestId('creative-status')).toHaveTextContent('approved'));
    expect(within(card).getByRole('button', { name: 'Approve' })).toBeDisabled();
  });

  it('rejects only with a comment, and sends it', async () => {
    const api = fakeApi();
    renderApp(<GalleryPage />, { api: api as never, route: '/gallery' });
    const card = (await screen.findAllByTestId('creative-card'))[1];
    await userEvent.click(within(card).getByRole('button', { name: 'Reject' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reject creative' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(api.rejectCreative).not.toHaveBeenCalled();
    expect(within(dialog).getByText(/Say why/)).toBeInTheDocument();
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Why is it rejected/ }), 'Logo too small');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(api.rejectCreative).toHaveBeenCalledWith('cr2', 'Logo too small');
    await waitFor(() => expect(within(card).getByTestId('creative-status')).toHaveTextContent('rejected'));
    expect(within(card).getByText('Comment: Logo too small')).toBeInTheDocument();
  });

  it('searches semantically and shows the API error message on failure', async () => {
    const api = fakeApi();
    renderApp(<GalleryPage />, { api: api as never, route: '/gallery?kind=image' });
    await screen.findAllByTestId('creative-card');
    await userEvent.type(screen.getByRole('textbox', { name: 'Search creatives' }), 'tall bread photo{Enter}');
    await waitFor(() => expect(api.search).toHaveBeenCalledWith('tall bread photo', { kind: 'image' }));
    expect(await screen.findByText('match 0.91')).toBeInTheDocument();

    const { ApiError } = await import('../../api/client');
    api.moreLikeThis.mockRejectedValueOnce(new ApiError(429, 'quota_exceeded', 'Monthly image quota reached', [{ field: 'images', problem: '500 of 500 used' }]));
    await userEvent.click(screen.getByRole('button', { name: 'More like this' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Monthly image quota reached');
    expect(alert).toHaveTextContent('images: 500 of 500 used');
  });
});

describe('GalleryPage job follow-up', () => {
  it('links to the live job when "more like this" answers with a job', async () => {
    const api = fakeApi();
    api.moreLikeThis.mockResolvedValueOnce({ id: 'job77', status: 'queued' });
    renderApp(<GalleryPage />, { api: api as never, route: '/gallery' });
    const card = (await screen.findAllByTestId('creative-card'))[1];
    await userEvent.click(within(card).getByRole('button', { name: 'More like this' }));
    expect(api.moreLikeThis).toHaveBeenCalledWith('cr2');
    expect(await screen.findByRole('link', { name: 'Follow its progress' })).toHaveAttribute('href', '/jobs/job77');
  });
});

describe('GalleryPage media without assets in the list', () => {
  it('fetches the assets of image creatives and shows them in their ratio', async () => {
    const api = fakeApi();
    const { assets, ...bare } = creatives[1];
    api.listCreatives.mockResolvedValueOnce({ items: [bare], next_cursor: null });
    api.getCreative.mockResolvedValueOnce({ ...bare, assets });
    renderApp(<GalleryPage />, { api: api as never, route: '/gallery' });
    const img = await screen.findByAltText(/\(9:16\)$/);
    expect(api.getCreative).toHaveBeenCalledWith('cr2');
    expect(img).toHaveAttribute('src', 'https://cdn.test/cr2.png');
  });
});
