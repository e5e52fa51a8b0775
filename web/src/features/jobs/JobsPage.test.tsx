import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ThemeProvider } from '@mui/material';
import JobsPage from './JobsPage';
import { fakeSession, noJobs, renderApp } from '../../test/render';
import { theme } from '../../theme';
import { App } from '../../app/App';
import { ServicesProvider, SessionProvider } from '../../app/services';
import { ApiError, type Api } from '../../api/client';
import type { Job, JobCounts } from '../../api/types';

const counts = (over: Partial<JobCounts> = {}): JobCounts => ({ total: 4, pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0, ...over });
const job = (id: string, over: Partial<Job>): Job => ({
  id,
  campaign_id: 'c1',
  kind: 'image_set',
  status: 'succeeded',
  counts: counts({ succeeded: 4 }),
  created_at: '2026-11-20T10:00:00Z',
  ...over,
});

// Out of time order on purpose: the page shows newest first whatever order a page comes in.
const JOBS: Job[] = [
  job('a-old', { kind: 'copy_batch', status: 'failed', counts: counts({ succeeded: 1, failed: 3 }), created_at: '2026-11-01T08:00:00Z' }),
  job('b-new', { kind: 'video', status: 'succeeded', campaign_id: 'c-gone', created_at: '2026-11-25T09:00:00Z' }),
  job('c-mid', { kind: 'image_set', status: 'partially_succeeded', counts: counts({ succeeded: 3, failed: 1 }), created_at: '2026-11-10T12:00:00Z' }),
];

function fakeApi(pages: Job[][] = [JOBS]) {
  return {
    listJobs: vi.fn(async (q?: { cursor?: string }) => {
      const i = q?.cursor ? Number(q.cursor) : 0;
      return { items: pages[i], next_cursor: i + 1 < pages.length ? String(i + 1) : null };
    }),
    listCampaigns: vi.fn(async () => ({ items: [{ id: 'c1', name: 'Spring sale' }], next_cursor: null })),
  };
}

const rows = () => screen.findAllByTestId('job-row');

describe('JobsPage', () => {
  it('lists jobs newest first with kind, campaign, status chip, progress and a link to each job', async () => {
    const api = fakeApi();
    renderApp(<JobsPage />, { api: api as never, route: '/jobs' });
    const list = await rows();
    expect(list.map((r) => r.getAttribute('data-job-id'))).toEqual(['b-new', 'c-mid', 'a-old']);

    const [newest, mid, old] = list;
    expect(newest).toHaveTextContent('Video');
    expect(within(newest).getByTestId('job-status')).toHaveTextContent('succeeded');
    // unknown campaign: its id instead of a name
    expect(newest).toHaveTextContent('c-gone');
    expect(within(mid).getByTestId('job-status')).toHaveTextContent('partially succeeded');
    expect(mid).toHaveTextContent('Image set');
    expect(mid).toHaveTextContent('Spring sale');
    expect(within(mid).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    expect(within(old).getByTestId('job-status')).toHaveTextContent('failed');
    expect(old).toHaveTextContent('Copy batch');
    expect(within(old).getByTestId('job-counts')).toHaveTextContent('1 of 4 done · 3 failed');

    expect(within(newest).getByRole('link', { name: /^Open video job b-new/ })).toHaveAttribute('href', '/jobs/b-new');
    expect(within(old).getByRole('link', { name: /^Open/ })).toHaveAttribute('href', '/jobs/a-old');
    expect(api.listJobs).toHaveBeenCalledTimes(1); // all terminal: no polling
  });

  it('reads one newest-first page and says when older jobs exist', async () => {
    const api = fakeApi([[JOBS[1], JOBS[2]], [JOBS[0]]]);
    renderApp(<JobsPage />, { api: api as never, route: '/jobs' });
    expect((await rows()).map((r) => r.getAttribute('data-job-id'))).toEqual(['b-new', 'c-mid']);
    expect(screen.getByText('Showing the 50 newest jobs.')).toBeInTheDocument();
    expect(api.listJobs).toHaveBeenCalledTimes(1);
    expect(api.listJobs).toHaveBeenCalledWith(expect.objectContaining({ limit: 50 }));
  });

  it('shows an empty state that links to campaigns', async () => {
    const api = fakeApi([[]]);
    renderApp(<JobsPage />, { api: api as never, route: '/jobs' });
    expect(await screen.findByText('No jobs yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to campaigns' })).toHaveAttribute('href', '/campaigns');
    expect(screen.queryByRole('table', { name: 'Jobs' })).not.toBeInTheDocument();
  });

  it('shows the API error with a retry that loads again', async () => {
    const api = fakeApi();
    api.listJobs.mockRejectedValueOnce(new ApiError(403, 'forbidden', 'You may not list jobs'));
    renderApp(<JobsPage />, { api: api as never, route: '/jobs' });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Cannot load jobs');
    expect(alert).toHaveTextContent('You may not list jobs');
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await rows()).toHaveLength(3);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('refreshes while a job runs and stops once every job has ended', async () => {
    const running = job('r1', { status: 'running', counts: counts({ succeeded: 1, running: 2, pending: 1 }) });
    const api = fakeApi();
    api.listJobs
      .mockResolvedValueOnce({ items: [running], next_cursor: null })
      .mockResolvedValueOnce({ items: [{ ...running, counts: counts({ succeeded: 3, running: 1 }) }], next_cursor: null })
      .mockResolvedValue({ items: [{ ...running, status: 'succeeded', counts: counts({ succeeded: 4 }) }], next_cursor: null });
    renderApp(<JobsPage pollMs={10} />, { api: api as never, route: '/jobs' });
    const [row] = await rows();
    expect(within(row).getByTestId('job-status')).toHaveTextContent('running');
    expect(within(row).getByTestId('job-counts')).toHaveTextContent('1 of 4 done · 2 running, 1 waiting');
    await waitFor(() => expect(within(screen.getByTestId('job-row')).getByTestId('job-status')).toHaveTextContent('succeeded'));
    expect(within(screen.getByTestId('job-row')).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    const calls = api.listJobs.mock.calls.length;
    expect(calls).toBe(3);
    await new Promise((r) => setTimeout(r, 60));
    expect(api.listJobs).toHaveBeenCalledTimes(calls);
  });

  it('shows a failed refresh instead of silently keeping stale rows', async () => {
    const running = job('r1', { status: 'running', counts: counts({ running: 4 }) });
    const api = fakeApi();
    api.listJobs.mockResolvedValueOnce({ items: [running], next_cursor: null }).mockRejectedValueOnce(new ApiError(503, 'unavailable', 'API is down'));
    renderApp(<JobsPage pollMs={10} />, { api: api as never, route: '/jobs' });
    expect(await screen.findByRole('alert')).toHaveTextContent('API is down');
    expect(screen.getByRole('alert')).toHaveTextContent('Updates stopped');
  });

  it('is routed at /jobs with a "Jobs" entry in the navigation', async () => {
    window.history.pushState({}, '', '/jobs');
    const api = fakeApi();
    render(
      <ThemeProvider theme={theme}>
        <ServicesProvider value={{ api: api as unknown as Api, jobs: noJobs }}>
          <SessionProvider value={fakeSession()}>
            <App />
          </SessionProvider>
        </ServicesProvider>
      </ThemeProvider>,
    );
    expect(await screen.findByRole('heading', { name: 'Jobs' })).toBeInTheDocument();
    expect(await rows()).toHaveLength(3);
    await userEvent.click(screen.getByRole('button', { name: 'Open navigation' }));
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Jobs' })).toHaveAttribute('href', '/jobs');
  });
});
