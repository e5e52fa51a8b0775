import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import TeamPage from './TeamPage';
import { ApiError } from '../../api/client';
import { renderApp, fakeSession, ME } from '../../test/render';

const BRANDS = [
  { id: 'b1', name: 'Acme Coffee', kit: {} },
  { id: 'b2', name: 'Blue Tea', kit: {} },
  { id: 'b3', name: 'Cocoa Co', kit: {} },
];

function fakeApi(over: Record<string, unknown> = {}) {
  return {
    listMembers: vi.fn(async () => ({
      items: [
        { uid: 'u1', email: 'owner@example.com', role: 'owner', brand_ids: null },
        { uid: 'u2', email: 'ed@example.com', role: 'editor', brand_ids: null },
        { uid: 'u3', email: 'vi@example.com', role: 'viewer', brand_ids: ['b2', 'b3'] },
      ],
      next_cursor: null,
    })),
    listInvitations: vi.fn(async () => ({ items: [], next_cursor: null })),
    listApiKeys: vi.fn(async () => ({ items: [], next_cursor: null })),
    usage: vi.fn(async () => ({ usage: {}, quotas: {} })),
    listBrands: vi.fn(async () => ({ items: BRANDS, next_cursor: null })),
    updateMember: vi.fn(async (uid: string, body: { brand_ids?: string[] | null }) => ({ uid, email: `${uid}@example.com`, role: 'editor', ...body })),
    ...over,
  };
}

const row = async (email: string) => (await screen.findByText(email)).closest('tr') as HTMLElement;

describe('TeamPage brand access', () => {
  it('shows "All brands" or the brand names as chips', async () => {
    renderApp(<TeamPage />, { api: fakeApi() as never });
    const table = await screen.findByRole('table', { name: 'Members' });
    expect(within(table).getByRole('columnheader', { name: 'Brand access' })).toBeInTheDocument();
    expect(within(await row('ed@example.com')).getByText('All brands')).toBeInTheDocument();
    const viewer = await row('vi@example.com');
    expect(await within(viewer).findByText('Blue Tea')).toBeInTheDocument();
    expect(within(viewer).getByText('Cocoa Co')).toBeInTheDocument();
    expect(within(viewer).queryByText('All brands')).not.toBeInTheDocument();
  });

  it('an owner limits a member to two brands', async () => {
    const api = fakeApi();
    renderApp(<TeamPage />, { api: api as never });
    await userEvent.click(within(await row('ed@example.com')).getByRole('button', { name: 'Edit brands of ed@example.com' }));
    const dialog = await screen.findByRole('dialog', { name: 'Brand access for ed@example.com' });
    const all = within(dialog).getByRole('switch', { name: 'All brands' });
    expect(all).toBeChecked();
    await userEvent.click(all);
    expect(within(dialog).getByText(/the member will see no brands/)).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Acme Coffee' }));
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Cocoa Co' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(api.updateMember).toHaveBeenCalledTimes(1);
    expect(api.updateMember).toHaveBeenCalledWith('u2', { brand_ids: ['b1', 'b3'] });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const ed = await row('ed@example.com');
    expect(within(ed).getByText('Acme Coffee')).toBeInTheDocument();
    expect(within(ed).getByText('Cocoa Co')).toBeInTheDocument();
    expect(within(ed).queryByText('All brands')).not.toBeInTheDocument();
  });

  it('switching "All brands" on removes the limit', async () => {
    const api = fakeApi();
    renderApp(<TeamPage />, { api: api as never });
    await userEvent.click(within(await row('vi@example.com')).getByRole('button', { name: 'Edit brands of vi@example.com' }));
    const dialog = await screen.findByRole('dialog', { name: 'Brand access for vi@example.com' });
    const all = within(dialog).getByRole('switch', { name: 'All brands' });
    expect(all).not.toBeChecked();
    expect(within(dialog).getByRole('checkbox', { name: 'Blue Tea' })).toBeChecked();
    expect(within(dialog).getByRole('checkbox', { name: 'Acme Coffee' })).not.toBeChecked();
    await userEvent.click(all);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(api.updateMember).toHaveBeenCalledWith('u3', { brand_ids: null });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(within(await row('vi@example.com')).getByText('All brands')).toBeInTheDocument();
  });

  it('shows the API error and keeps the dialog open', async () => {
    const api = fakeApi({
      updateMember: vi.fn(async () => {
        throw new ApiError(400, 'invalid_request', 'unknown brand', [{ field: 'brand_ids', problem: "no brand 'b1'" }]);
      }),
    });
    renderApp(<TeamPage />, { api: api as never });
    await userEvent.click(within(await row('ed@example.com')).getByRole('button', { name: 'Edit brands of ed@example.com' }));
    const dialog = await screen.findByRole('dialog', { name: 'Brand access for ed@example.com' });
    await userEvent.click(within(dialog).getByRole('switch', { name: 'All brands' }));
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Acme Coffee' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('unknown brand');
    expect(alert).toHaveTextContent("brand_ids: no brand 'b1'");
    expect(screen.getByRole('dialog', { name: 'Brand access for ed@example.com' })).toBeInTheDocument();
    expect(within(await row('ed@example.com')).getByText('All brands')).toBeInTheDocument();
  });

  it('gives viewers the access column but no edit action', async () => {
    const api = fakeApi();
    renderApp(<TeamPage />, { api: api as never, session: fakeSession({ me: { ...ME, uid: 'u3', role: 'viewer', brand_ids: ['b2', 'b3'] } }) });
    expect(within(await row('ed@example.com')).getByText('All brands')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Edit brands/ })).not.toBeInTheDocument();
  });

  it('does not offer editing the only owner', async () => {
    renderApp(<TeamPage />, { api: fakeApi() as never });
    await row('ed@example.com');
    expect(screen.queryByRole('button', { name: 'Edit brands of owner@example.com' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Edit brands of ed@example.com' })).toBeInTheDocument();
  });
});

describe('TeamPage brand access for admins', () => {
  it('lets an admin edit non-owners only', async () => {
    renderApp(<TeamPage />, { api: fakeApi() as never, session: fakeSession({ me: { ...ME, uid: 'u9', role: 'admin' } }) });
    await row('ed@example.com');
    expect(screen.queryByRole('button', { name: 'Edit brands of owner@example.com' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Edit brands of vi@example.com' })).toBeInTheDocument();
  });
});
