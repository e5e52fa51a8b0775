import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import AcceptInvitationPage from './AcceptInvitationPage';
import { renderApp, fakeSession } from '../../test/render';

describe('AcceptInvitationPage', () => {
  it('asks for email verification first and sends the link', async () => {
    const sendVerification = vi.fn(async () => {});
    const reloadUser = vi.fn(async () => false);
    const api = { acceptInvitation: vi.fn() };
    renderApp(<AcceptInvitationPage />, {
      api: api as never,
      route: '/invite/inv1',
      path: '/invite/:id',
      session: fakeSession({ user: { uid: 'u3', email: 'c@example.com', emailVerified: false }, me: null, sendVerification, reloadUser }),
    });
    expect(screen.getByRole('button', { name: 'Accept invitation' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Send verification email' }));
    expect(sendVerification).toHaveBeenCalled();
    expect(await screen.findByText('Verification email sent.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'I have verified my email' }));
    expect(await screen.findByText(/Not verified yet/)).toBeInTheDocument();
    expect(api.acceptInvitation).not.toHaveBeenCalled();
  });

  it('accepts, force-refreshes the token, then goes to the campaigns', async () => {
    const order: string[] = [];
    const api = { acceptInvitation: vi.fn(async () => void order.push('accept')) };
    const refresh = vi.fn(async () => {
      order.push('refresh');
      return null;
    });
    renderApp(<AcceptInvitationPage />, {
      api: api as never,
      route: '/invite/inv1',
      path: '/invite/:id',
      session: fakeSession({ user: { uid: 'u3', email: 'c@example.com', emailVerified: true }, me: null, refresh }),
    });
    await userEvent.click(screen.getByRole('button', { name: 'Accept invitation' }));
    expect(api.acceptInvitation).toHaveBeenCalledWith('inv1');
    await waitFor(() => expect(order).toEqual(['accept', 'refresh']));
    expect(await screen.findByTestId('elsewhere')).toBeInTheDocument();
  });
});
