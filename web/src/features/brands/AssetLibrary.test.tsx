import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AssetLibrary, precheck } from './AssetLibrary';
import { renderApp } from '../../test/render';
import { ApiError } from '../../api/client';
import type { BrandAsset } from '../../api/types';

function asset(over: Partial<BrandAsset>): BrandAsset {
  return {
    id: 'a1',
    brand_id: 'b1',
    kind: 'product',
    variants: [],
    tags: ['mug'],
    caption: 'Red mug',
    rights: 'owned',
    licensed_until: null,
    mime_type: 'image/jpeg',
    width: 800,
    height: 600,
    near_duplicates: [],
    notes: [],
    thumbnail_url: 'https://cdn.test/a1-thumb.jpg',
    ...over,
  };
}

function fakeApi(existing: BrandAsset[] = []) {
  return {
    listBrandAssets: vi.fn(async () => ({ items: existing, next_cursor: null })),
    uploadBrandAsset: vi.fn(async (_b: string, file: File, q: { kind: string; tags?: string }) => {
      if (file.name === 'bomb.png') {
        throw new ApiError(400, 'invalid_request', 'the file cannot be used', [{ field: 'body', problem: 'decompression bomb' }]);
      }
      return asset({ id: `new-${file.name}`, kind: q.kind as BrandAsset['kind'], tags: (q.tags ?? '').split(',').filter(Boolean), caption: file.name });
    }),
    updateBrandAsset: vi.fn(async (_b: string, id: string, body: Partial<BrandAsset>) => asset({ id, ...body })),
    deleteBrandAsset: vi.fn(async () => {}),
  };
}

const png = (name: string, size = 10) => new File([new Uint8Array(size)], name, { type: 'image/png' });

describe('AssetLibrary', () => {
  it('uploads several dropped files one by one, shows progress, thumbnails and the server problem', async () => {
    const api = fakeApi();
    renderApp(<AssetLibrary brandId="b1" />, { api: api as never });
    await screen.findByText(/No pictures yet/);
    await userEvent.type(screen.getByLabelText('Tags for these files'), 'mug,coffee');
    const zone = screen.getByRole('region', { name: 'Drop pictures here' });
    fireEvent.drop(zone, { dataTransfer: { files: [png('mug.png'), png('bomb.png'), new File(['x'], 'notes.txt', { type: 'text/plain' })] } });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('3 of 3 files handled'));
    expect(api.uploadBrandAsset).toHaveBeenCalledTimes(2); // the text file never left the browser
    expect(api.uploadBrandAsset.mock.calls[0][2]).toMatchObject({ kind: 'product', tags: 'mug,coffee', filename: 'mug.png' });
    expect(screen.getByText('bomb.png: failed (body: decompression bomb)')).toBeInTheDocument();
    expect(screen.getByText(/notes.txt: failed \(not a PNG, JPEG, WebP or GIF image\)/)).toBeInTheDocument();
    const cards = screen.getAllByTestId('brand-asset');
    expect(cards).toHaveLength(1);
    expect(within(cards[0]).getByRole('img')).toHaveAttribute('src', 'https://cdn.test/a1-thumb.jpg');
  });

  it('shows expired licences and near-duplicates, saves usage rights and links to the gallery filter', async () => {
    const api = fakeApi([asset({ id: 'old', rights: 'licensed', licensed_until: '2020-01-01', near_duplicates: ['a2'] })]);
    renderApp(<AssetLibrary brandId="b1" />, { api: api as never });
    const card = await screen.findByTestId('brand-asset');
    expect(within(card).getByText('licence expired: not used')).toBeInTheDocument();
    expect(within(card).getByText(/Looks like another picture/)).toBeInTheDocument();
    const until = within(card).getByLabelText('Licensed until');
    fireEvent.change(until, { target: { value: '2099-12-31' } });
    await userEvent.click(within(card).getByRole('button', { name: 'Save' }));
    expect(api.updateBrandAsset).toHaveBeenCalledWith('b1', 'old', { tags: ['mug'], rights: 'licensed', licensed_until: '2099-12-31' });
    expect(within(card).getByRole('link', { name: 'Creatives made from it' })).toHaveAttribute('href', '/gallery?brand_asset_id=old');
  });

  it('checks type and size before sending', () => {
    expect(precheck(png('a.png'), 'product')).toBeNull();
    expect(precheck(png('a.png'), 'clip')).toMatch(/not an MP4/);
    expect(precheck(png('big.png', 8 * 1024 * 1024 + 1), 'logo')).toBe('larger than 8 MB');
  });
});
