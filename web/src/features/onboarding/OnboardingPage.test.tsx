import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import OnboardingPage from './OnboardingPage';
import { renderApp, fakeSession, ME } from '../../test/render';
import { SessionProvider } from '../../app/services';
import type { Me } from '../../api/types';
import { ApiError } from '../../api/client';

/** Session whose /v1/me changes after refresh(), like the real token force-refresh. */
function Harness({ refresh }: { refresh: () => Promise<Me> }) {
  const [me, setMe] = useState<Me>({ ...ME, tenant_id: null, role: null });
  const session = fakeSession({
    me,
    refresh: async () => {
      const m = await refresh();
      setMe(m);
      return m;
    },
  });
  return (
    <SessionProvider value={session}>
      <OnboardingPage />
    </SessionProvider>
  );
}

describe('OnboardingPage', () => {
  it('creates the tenant, force-refreshes the token, then creates the first brand', async () => {
    const order: string[] = [];
    const api = {
      createTenant: vi.fn(async (b: unknown) => {
        order.push('createTenant');
        return { id: 't9', ...(b as object) };
      }),
      createBrand: vi.fn(async () => {
        order.push('createBrand');
        return { id: 'b9' };
      }),
    };
    const refresh = vi.fn(async () => {
      order.push('refresh');
      return { ...ME, tenant_id: 't9', role: 'owner' as const };
    });
    renderApp(<Harness refresh={refresh} />, { api: api as never, route: '/onboarding', path: '/onboarding' });
    await userEvent.click(screen.getByRole('button', { name: 'Create workspace' }));
    expect(screen.getByText('Name your workspace')).toBeInTheDocument();
    expect(api.createTenant).not.toHaveBeenCalled();

    await userEvent.type(screen.getByRole('textbox', { name: /Workspace name/ }), 'Acme Bakery');
    await userEvent.click(screen.getByRole('radio', { name: 'Pro' }));
    await userEvent.click(screen.getByRole('button', { name: 'Create workspace' }));
    expect(api.createTenant).toHaveBeenCalledWith({ name: 'Acme Bakery', plan: 'pro' });
    await screen.findByRole('form', { name: 'Brand kit' });

    await userEvent.type(screen.getByRole('textbox', { name: /^Brand name/ }), 'Acme');
    await userEvent.click(screen.getByRole('button', { name: 'Create brand and continue' }));
    await waitFor(() => expect(api.createBrand).toHaveBeenCalled());
    expect(order).toEqual(['createTenant', 'refresh', 'createBrand']);
    expect(await screen.findByTestId('elsewhere')).toBeInTheDocument(); // navigated on to the new campaign
  });

  it('shows the API error message and does not refresh when tenant creation fails', async () => {
    const api = {
      createTenant: vi.fn(async () => {
        throw new ApiError(409, 'already_member', 'You already belong to a tenant');
      }),
    };
    const refresh = vi.fn(async () => ME);
    renderApp(<Harness refresh={refresh} />, { api: api as never });
    await userEvent.type(screen.getByRole('textbox', { name: /Workspace name/ }), 'X');
    await userEvent.click(screen.getByRole('button', { name: 'Create workspace' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('You already belong to a tenant');
    expect(refresh).not.toHaveBeenCalled();
  });
});
