import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import SettingsPage from './SettingsPage';
import { Layout } from '../../app/Layout';
import { renderApp, fakeSession, ME } from '../../test/render';
import { ApiError } from '../../api/client';
import type { Plan } from '../../api/types';

const QUOTAS: Record<Plan, Record<string, number>> = {
  starter: { text_calls: 500, images: 100, video_seconds: 60 },
  pro: { text_calls: 5000, images: 1000, video_seconds: 600 },
  enterprise: { text_calls: 50000, images: 10000, video_seconds: 6000 },
};
const tenant = (over: { name?: string; plan?: Plan } = {}) => {
  const plan = over.plan ?? 'starter';
  return { id: 't1', name: over.name ?? 'Acme Outdoor', plan, created_at: '2026-01-01T00:00:00Z', usage: {}, quotas: QUOTAS[plan] };
};

function fakeApi() {
  return {
    tenant: vi.fn(async () => tenant()),
    updateTenant: vi.fn(async (b: { name?: string; plan?: Plan }) => tenant(b)),
    deleteTenant: vi.fn(async () => ({ tenant_id: 't1', status: 'deleting' as const })),
  };
}

describe('SettingsPage (workspace)', () => {
  it('shows the workspace section and the danger zone to owners', async () => {
    const api = fakeApi();
    renderApp(<SettingsPage />, { api: api as never });
    const form = await screen.findByRole('form', { name: 'Workspace settings' });
    expect(within(form).getByRole('textbox', { name: /Workspace name/ })).toHaveValue('Acme Outdoor');
    expect(within(form).getByTestId('plan-quotas')).toHaveTextContent('100 images per month');
    expect(screen.getByRole('region', { name: 'Danger zone' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Delete workspace…' })).toBeInTheDocument();
  });

  it.each(['admin', 'editor', 'viewer'] as const)('hides it from %s', async (role) => {
    const api = fakeApi();
    renderApp(<SettingsPage />, { api: api as never, session: fakeSession({ me: { ...ME, role } }) });
    expect(await screen.findByText(/Only the workspace's owners/)).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Workspace settings' })).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Danger zone' })).not.toBeInTheDocument();
    expect(api.tenant).not.toHaveBeenCalled();
  });

  it('shows the Workspace nav entry to owners only', async () => {
    // jsdom has no desktop width: the drawer opens from the menu button
    const { unmount } = renderApp(<Layout>x</Layout>);
    await userEvent.click(screen.getByRole('button', { name: 'Open navigation' }));
    expect(await screen.findByRole('link', { name: 'Workspace' })).toBeInTheDocument();
    unmount();
    renderApp(<Layout>x</Layout>, { session: fakeSession({ me: { ...ME, role: 'admin' } }) });
    await userEvent.click(screen.getByRole('button', { name: 'Open navigation' }));
    expect(await screen.findByRole('link', { name: 'Team & access' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Workspace' })).not.toBeInTheDocument();
  });

  it('changing the plan sends exactly {"plan": "enterprise"} and shows the new quotas', async () => {
    const api = fakeApi();
    renderApp(<SettingsPage />, { api: api as never });
    const form = await screen.findByRole('form', { name: 'Workspace settings' });
    await userEvent.click(within(form).getByRole('combobox', { name: 'Plan' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Enterprise' }));
    await userEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(api.updateTenant).toHaveBeenCalledTimes(1);
    expect(api.updateTenant.mock.calls[0]).toEqual([{ plan: 'enterprise' }]);
    expect(await within(form).findByText(/now on the Enterprise plan/)).toBeInTheDocument();
    expect(within(form).getByTestId('plan-quotas')).toHaveTextContent('10,000 images per month');
  });

  it('renames the workspace and shows an API error', async () => {
    const api = fakeApi();
    api.updateTenant.mockRejectedValueOnce(new ApiError(400, 'invalid_input', 'bad input', [{ field: 'name', problem: 'too long' }]));
    renderApp(<SettingsPage />, { api: api as never });
    const form = await screen.findByRole('form', { name: 'Workspace settings' });
    const name = within(form).getByRole('textbox', { name: /Workspace name/ });
    await userEvent.clear(name);
    await userEvent.type(name, 'Acme Trail');
    await userEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(api.updateTenant).toHaveBeenCalledWith({ name: 'Acme Trail' });
    expect(await within(form).findByRole('alert')).toHaveTextContent('bad input');
    expect(within(form).getAllByText('too long').length).toBeGreaterThan(0);
  });

  it('Delete stays disabled until the exact name is typed, sends {"confirm": name}, then leads to onboarding', async () => {
    const api = fakeApi();
    const session = fakeSession();
    renderApp(<SettingsPage />, { api: api as never, session, route: '/settings', path: '/settings' });
    await userEvent.click(await screen.findByRole('button', { name: 'Delete workspace…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete workspace' });
    expect(dialog).toHaveTextContent(/brands/);
    expect(dialog).toHaveTextContent(/campaigns, creatives and media/);
    expect(dialog).toHaveTextContent(/jobs/);
    expect(dialog).toHaveTextContent(/API keys/);
    const del = within(dialog).getByRole('button', { name: 'Delete workspace' });
    const input = within(dialog).getByRole('textbox', { name: 'Type the workspace name to confirm' });
    expect(del).toBeDisabled();
    await userEvent.type(input, 'acme outdoor');
    expect(del).toBeDisabled();
    await userEvent.clear(input);
    await userEvent.type(input, 'Acme Outdoor ');
    expect(del).toBeDisabled();
    await userEvent.type(input, '{Backspace}');
    expect(del).toBeEnabled();
    await userEvent.click(del);
    expect(api.deleteTenant).toHaveBeenCalledTimes(1);
    expect(api.deleteTenant.mock.calls[0]).toEqual(['Acme Outdoor']);
    const done = await screen.findByRole('dialog', { name: 'Workspace deleted' });
    expect(done).toHaveTextContent('is being deleted');
    await userEvent.click(within(done).getByRole('button', { name: 'Create a new workspace' }));
    expect(session.refresh).toHaveBeenCalled();
    expect(await screen.findByTestId('elsewhere')).toBeInTheDocument();
  });

  it('can sign out after the deletion', async () => {
    const api = fakeApi();
    const session = fakeSession();
    renderApp(<SettingsPage />, { api: api as never, session });
    await userEvent.click(await screen.findByRole('button', { name: 'Delete workspace…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete workspace' });
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Type the workspace name/ }), 'Acme Outdoor');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete workspace' }));
    const done = await screen.findByRole('dialog', { name: 'Workspace deleted' });
    await userEvent.click(within(done).getByRole('button', { name: 'Sign out' }));
    expect(session.signOut).toHaveBeenCalled();
  });

  it('shows an API error in the dialog and keeps it open', async () => {
    const api = fakeApi();
    api.deleteTenant.mockRejectedValueOnce(
      new ApiError(400, 'invalid_input', 'the confirmation does not match', [{ field: 'confirm', problem: "must be the tenant's name, exactly" }]),
    );
    renderApp(<SettingsPage />, { api: api as never });
    await userEvent.click(await screen.findByRole('button', { name: 'Delete workspace…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete workspace' });
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Type the workspace name/ }), 'Acme Outdoor');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete workspace' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('the confirmation does not match');
    expect(within(dialog).getAllByText("must be the tenant's name, exactly").length).toBeGreaterThan(0);
    expect(screen.getByRole('dialog', { name: 'Delete workspace' })).toBeInTheDocument();
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Delete workspace' })).toBeEnabled());
  });
});

describe('api client: tenant calls', () => {
  it('PATCH and DELETE /v1/tenant with JSON bodies', async () => {
    const { createApi } = await import('../../api/client');
    const f = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) =>
      new Response(JSON.stringify(init?.method === 'DELETE' ? { tenant_id: 't1', status: 'deleting' } : tenant({ plan: 'pro' })), {
        status: init?.method === 'DELETE' ? 202 : 200,
      }),
    );
    const api = createApi({ baseUrl: 'http://api.test', getToken: async () => 't', fetch: f });
    expect((await api.updateTenant({ plan: 'pro' })).plan).toBe('pro');
    expect(await api.deleteTenant('Acme Outdoor')).toEqual({ tenant_id: 't1', status: 'deleting' });
    expect(f.mock.calls[0][0]).toBe('http://api.test/v1/tenant');
    expect(f.mock.calls[0][1]).toMatchObject({ method: 'PATCH', body: '{"plan":"pro"}' });
    expect(f.mock.calls[1][0]).toBe('http://api.test/v1/tenant');
    expect(f.mock.calls[1][1]).toMatchObject({ method: 'DELETE', body: '{"confirm":"Acme Outdoor"}' });
  });
});
