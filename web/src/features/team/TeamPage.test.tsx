import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import TeamPage from './TeamPage';
import { renderApp, fakeSession, ME } from '../../test/render';

function fakeApi() {
  return {
    listMembers: vi.fn(async () => ({ items: [{ uid: 'u1', email: 'owner@example.com', role: 'owner' }, { uid: 'u2', email: 'ed@example.com', role: 'editor' }], next_cursor: null })),
    listInvitations: vi.fn(async () => ({ items: [], next_cursor: null })),
    listApiKeys: vi.fn(async () => ({ items: [], next_cursor: null })),
    usage: vi.fn(async () => ({ usage: { images: 450 }, quotas: { images: 500 } })),
    createInvitation: vi.fn(async (b: { email: string; role: string }) => ({ id: 'inv1', status: 'pending', ...b })),
    createApiKey: vi.fn(async (b: { name: string; scopes: string[] }) => ({ id: 'k1', prefix: 'ag_live_ab', key: 'ag_live_abSECRET123', ...b })),
    updateMember: vi.fn(async () => ({})),
  };
}

describe('TeamPage', () => {
  it('shows usage against quota and invites with the chosen role', async () => {
    const api = fakeApi();
    renderApp(<TeamPage />, { api: api as never });
    expect(await screen.findByText('images: 450 of 500')).toBeInTheDocument();
    expect(within(screen.getByTestId('usage-images')).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '90');
    const form = screen.getByRole('form', { name: 'Invite a member' });
    await userEvent.type(within(form).getByRole('textbox', { name: /Email to invite/ }), 'New@Example.com');
    await userEvent.click(within(form).getByRole('combobox', { name: 'Role' }));
    await userEvent.click(await screen.findByRole('option', { name: 'viewer' }));
    await userEvent.click(within(form).getByRole('button', { name: 'Invite' }));
    expect(api.createInvitation).toHaveBeenCalledWith({ email: 'new@example.com', role: 'viewer' });
    expect(await screen.findByRole('table', { name: 'Invitations' })).toHaveTextContent('new@example.com');
  });

  it('shows a new API key once, with a copy button', async () => {
    const api = fakeApi();
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderApp(<TeamPage />, { api: api as never });
    const form = await screen.findByRole('form', { name: 'Create an API key' });
    await userEvent.click(within(form).getByRole('button', { name: 'Create key' }));
    expect(within(form).getByText(/Name the key/)).toBeInTheDocument();
    await userEvent.type(within(form).getByRole('textbox', { name: 'Key name' }), 'CRM sync');
    await userEvent.click(within(form).getByRole('checkbox', { name: 'generate' }));
    await userEvent.click(within(form).getByRole('button', { name: 'Create key' }));
    expect(api.createApiKey).toHaveBeenCalledWith({ name: 'CRM sync', scopes: ['read', 'generate'] });
    const dialog = await screen.findByRole('dialog', { name: 'API key created' });
    expect(within(dialog).getByTestId('new-api-key')).toHaveTextContent('ag_live_abSECRET123');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Copy API key' }));
    expect(writeText).toHaveBeenCalledWith('ag_live_abSECRET123');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByText('ag_live_abSECRET123')).not.toBeInTheDocument());
  });

  it('hides management from viewers', async () => {
    const api = fakeApi();
    renderApp(<TeamPage />, { api: api as never, session: fakeSession({ me: { ...ME, role: 'viewer' } }) });
    expect(await screen.findByText('ed@example.com')).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Invite a member' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Remove/ })).not.toBeInTheDocument();
    expect(api.listApiKeys).not.toHaveBeenCalled();
  });
});
