import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import { ThemeProvider } from '@mui/material';
import { theme } from '../theme';
import { App } from './App';
import { ServicesProvider, SessionProvider } from './services';
import { fakeSession, ME, noJobs } from '../test/render';
import type { Api } from '../api/client';

function renderAt(path: string, session = fakeSession(), api: Partial<Api> = {}) {
  window.history.pushState({}, '', path);
  return render(
    <ThemeProvider theme={theme}>
      <ServicesProvider value={{ api: api as Api, jobs: noJobs }}>
        <SessionProvider value={session}>
          <App />
        </SessionProvider>
      </ServicesProvider>
    </ThemeProvider>,
  );
}

describe('App routing guards', () => {
  it('sends signed-out visitors to sign in, keeping where they wanted to go', async () => {
    renderAt('/gallery?status=draft', fakeSession({ user: null, me: null }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/signin');
    expect(new URLSearchParams(window.location.search).get('next')).toBe('/gallery?status=draft');
  });

  it('sends a signed-in user without a tenant to onboarding', async () => {
    renderAt('/campaigns', fakeSession({ me: { ...ME, tenant_id: null, role: null } }));
    expect(await screen.findByRole('heading', { name: 'Welcome to AdGenius' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/onboarding');
  });

  it('shows the error of /v1/me with a retry instead of a blank page', async () => {
    const { ApiError } = await import('../api/client');
    const refresh = vi.fn(async () => null);
    renderAt('/campaigns', fakeSession({ me: null, meError: new ApiError(503, 'unavailable', 'API is down'), refresh }));
    expect(await screen.findByRole('alert')).toHaveTextContent('API is down');
    screen.getByRole('button', { name: 'Retry' }).click();
    expect(refresh).toHaveBeenCalled();
  });

  it('gives tenant members the navigation behind a menu button on narrow screens', async () => {
    const api = { listBrands: vi.fn(async () => ({ items: [], next_cursor: null })), listCampaigns: vi.fn(async () => ({ items: [], next_cursor: null })) };
    renderAt('/campaigns', fakeSession(), api);
    expect(await screen.findByText('No campaigns yet')).toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Main' })).not.toBeInTheDocument();
    screen.getByRole('button', { name: 'Open navigation' }).click();
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(nav).toHaveTextContent('Team & access');
  });
});
