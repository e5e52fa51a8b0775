import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { ThemeProvider } from '@mui/material';
import { vi } from 'vitest';
import { theme } from '../theme';
import { ServicesProvider, SessionProvider, type Session } from '../app/services';
import type { Api } from '../api/client';
import type { JobSubscriber } from '../features/jobs/live';
import type { Me } from '../api/types';

export const ME: Me = { uid: 'u1', email: 'owner@example.com', tenant_id: 't1', role: 'owner', brand_ids: null };

export function fakeSession(over: Partial<Session> = {}): Session {
  return {
    user: { uid: 'u1', email: 'owner@example.com' },
    me: ME,
    meError: null,
    refresh: vi.fn(async () => ME),
    signOut: vi.fn(async () => {}),
    signIn: vi.fn(async () => {}),
    signUp: vi.fn(async () => {}),
    ...over,
  };
}

export const noJobs: JobSubscriber = { job: () => () => {}, items: () => () => {}, list: () => () => {} };

export function renderApp(
  ui: ReactElement,
  opts: { api?: Partial<Api>; jobs?: JobSubscriber; session?: Session; route?: string; path?: string } = {},
) {
  const session = opts.session ?? fakeSession();
  const api = (opts.api ?? {}) as Api;
  const utils = render(
    <ThemeProvider theme={theme}>
      <ServicesProvider value={{ api, jobs: opts.jobs ?? noJobs }}>
        <SessionProvider value={session}>
          <MemoryRouter initialEntries={[opts.route ?? '/']}>
            <Routes>
              <Route path={opts.path ?? '*'} element={ui} />
              <Route path="*" element={<div data-testid="elsewhere" />} />
            </Routes>
          </MemoryRouter>
        </SessionProvider>
      </ServicesProvider>
    </ThemeProvider>,
  );
  return { ...utils, api, session };
}
