import { describe, expect, it, vi } from 'vitest';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ThemeProvider } from '@mui/material';
import JobsPage from './JobsPage';
import { fakeSession, ME, renderApp } from '../../test/render';
import { theme } from '../../theme';
import { App } from '../../app/App';
import { ServicesProvider, SessionProvider } from '../../app/services';
import type { Api } from '../../api/client';
import type { JobListQuery, JobSubscriber } from './live';
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

/** The HTTP API: campaign names only. A jobs list over HTTP fails the test. */
function fakeApi() {
  return {
    listJobs: vi.fn(async () => {
      throw new Error('the jobs list must come from Firestore, not GET /v1/jobs');
    }),
    listCampaigns: vi.fn(async () => ({ items: [{ id: 'c1', name: 'Spring sale' }], next_cursor: null })),
  };
}

/** A fake Firestore: the test pushes list snapshots through it, like onSnapshot would. */
function fakeFirestore() {
  const listeners: { onData: (jobs: Job[]) => void; onError: (e: Error) => void }[] = [];
  const calls: { tenantId: string; q: JobListQuery }[] = [];
  let unsubscribed = 0;
  const sub: JobSubscriber = {
    job: () => () => {},
    items: () => () => {},
    list: (tenantId, q, onData, onError) => {
      calls.push({ tenantId, q });
      listeners.push({ onData, onError });
      return () => void unsubscribed++;
    },
  };
  const last = () => listeners[listeners.length - 1];
  return {
    sub,
    calls,
    unsubscribed: () => unsubscribed,
    push: (jobs: Job[]) => act(() => last().onData(jobs)),
    fail: (e: Error) => act(() => last().onError(e)),
  };
}

const denied = () => Object.assign(new Error('Missing or insufficient permissions.'), { code: 'permission-denied' });
const rows = () => screen.findAllByTestId('job-row');

describe('JobsPage', () => {
  it('lists jobs newest first with kind, campaign, status chip, progress and a link to each job', async () => {
    const api = fakeApi();
    const fs = fakeFirestore();
    renderApp(<JobsPage />, { api: api as never, jobs: fs.sub, route: '/jobs' });
    expect(screen.getByRole('progressbar')).toBeInTheDocument(); // loading until the first snapshot
    expect(fs.calls).toEqual([{ tenantId: 't1', q: { brandIds: null, limit: 50 } }]);
    fs.push(JOBS);
    const list = await rows();
    expect(list.map((r) => r.getAttribute('data-job-id'))).toEqual(['b-new', 'c-mid', 'a-old']);

    const [newest, mid, old] = list;
    expect(newest).toHaveTextContent('Video');
    expect(within(newest).getByTestId('job-status')).toHaveTextContent('succeeded');
    // unknown campaign: its id instead of a name
    expect(newest).toHaveTextContent('c-gone');
    expect(within(mid).getByTestId('job-status')).toHaveTextContent('partially succeeded');
    expect(mid).toHaveTextContent('Image set');
    expect(await within(mid).findByText('Spring sale')).toBeInTheDocument();
    expect(within(mid).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    expect(within(old).getByTestId('job-status')).toHaveTextContent('failed');
    expect(old).toHaveTextContent('Copy batch');
    expect(within(old).getByTestId('job-counts')).toHaveTextContent('1 of 4 done · 3 failed');

    expect(within(newest).getByRole('link', { name: /^Open video job b-new/ })).toHaveAttribute('href', '/jobs/b-new');
    expect(within(old).getByRole('link', { name: /^Open/ })).toHaveAttribute('href', '/jobs/a-old');
    expect(screen.queryByText('Showing the 50 newest jobs.')).not.toBeInTheDocument();
    expect(api.listJobs).not.toHaveBeenCalled();
  });

  it('says when 50 jobs are listed (older ones may exist)', async () => {
    const fs = fakeFirestore();
    renderApp(<JobsPage />, { api: fakeApi() as never, jobs: fs.sub, route: '/jobs' });
    fs.push(Array.from({ length: 50 }, (_, i) => job(`j${String(i).padStart(2, '0')}`, {})));
    expect(await rows()).toHaveLength(50);
    expect(screen.getByText('Showing the 50 newest jobs.')).toBeInTheDocument();
  });

  it('queries a brand-limited member\'s jobs with their brands, and nothing for no brand', async () => {
    const fs = fakeFirestore();
    const session = fakeSession({ me: { ...ME, role: 'editor', brand_ids: ['b1', 'b2'] } });
    const { unmount } = renderApp(<JobsPage />, { api: fakeApi() as never, jobs: fs.sub, session, route: '/jobs' });
    expect(fs.calls).toEqual([{ tenantId: 't1', q: { brandIds: ['b1', 'b2'], limit: 50 } }]);
    fs.push([JOBS[2]]);
    expect((await rows()).map((r) => r.getAttribute('data-job-id'))).toEqual(['c-mid']);
    unmount();
    expect(fs.unsubscribed()).toBe(1);

    const none = fakeFirestore();
    const noBrand = fakeSession({ me: { ...ME, role: 'viewer', brand_ids: [] } });
    renderApp(<JobsPage />, { api: fakeApi() as never, jobs: none.sub, session: noBrand, route: '/jobs' });
    expect(await screen.findByText('No jobs yet')).toBeInTheDocument();
    expect(none.calls).toEqual([]);
  });

  it('shows an empty state that links to campaigns', async () => {
    const fs = fakeFirestore();
    renderApp(<JobsPage />, { api: fakeApi() as never, jobs: fs.sub, route: '/jobs' });
    fs.push([]);
    expect(await screen.findByText('No jobs yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to campaigns' })).toHaveAttribute('href', '/campaigns');
    expect(screen.queryByRole('table', { name: 'Jobs' })).not.toBeInTheDocument();
  });

  it('reloads who the user is when the rules refuse the listener (access changed), not for other errors', async () => {
    const session = fakeSession();
    const fs = fakeFirestore();
    renderApp(<JobsPage />, { api: fakeApi() as never, jobs: fs.sub, route: '/jobs', session });
    fs.push(JOBS);
    await rows();
    fs.fail(Object.assign(new Error('unavailable'), { code: 'unavailable' }));
    expect(session.refresh).not.toHaveBeenCalled();
    fs.fail(denied()); // e.g. removed from the workspace while the page was open
    await waitFor(() => expect(session.refresh).toHaveBeenCalledTimes(1));
    expect(await screen.findByRole('alert')).toHaveTextContent('Updates stopped');
  });

  it('shows a listener error with a retry that listens again', async () => {
    const fs = fakeFirestore();
    renderApp(<JobsPage />, { api: fakeApi() as never, jobs: fs.sub, route: '/jobs' });
    fs.fail(denied());
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Cannot load jobs');
    expect(alert).toHaveTextContent('Missing or insufficient permissions.');
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(fs.calls).toHaveLength(2);
    fs.push(JOBS);
    expect(await rows()).toHaveLength(3);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('updates a running job live until it has succeeded, without any HTTP call for jobs', async () => {
    const running = job('r1', { status: 'running', counts: counts({ succeeded: 1, running: 2, pending: 1 }) });
    const api = fakeApi();
    const fs = fakeFirestore();
    const { unmount } = renderApp(<JobsPage />, { api: api as never, jobs: fs.sub, route: '/jobs' });
    fs.push([running]);
    const [row] = await rows();
    expect(within(row).getByTestId('job-status')).toHaveTextContent('running');
    expect(within(row).getByTestId('job-counts')).toHaveTextContent('1 of 4 done · 2 running, 1 waiting');
    fs.push([{ ...running, counts: counts({ succeeded: 3, running: 1 }) }]);
    expect(within(screen.getByTestId('job-row')).getByTestId('job-counts')).toHaveTextContent('3 of 4 done · 1 running, 0 waiting');
    fs.push([{ ...running, status: 'succeeded', counts: counts({ succeeded: 4 }) }]);
    expect(within(screen.getByTestId('job-row')).getByTestId('job-status')).toHaveTextContent('succeeded');
    expect(within(screen.getByTestId('job-row')).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    expect(fs.calls).toHaveLength(1); // one listener, never re-queried
    expect(api.listJobs).not.toHaveBeenCalled();
    unmount();
    expect(fs.unsubscribed()).toBe(1);
  });

  it('shows a listener that stops after data instead of silently keeping stale rows', async () => {
    const fs = fakeFirestore();
    renderApp(<JobsPage />, { api: fakeApi() as never, jobs: fs.sub, route: '/jobs' });
    fs.push([job('r1', { status: 'running', counts: counts({ running: 4 }) })]);
    await rows();
    fs.fail(Object.assign(new Error('Firestore is unavailable'), { code: 'unavailable' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Firestore is unavailable');
    expect(screen.getByRole('alert')).toHaveTextContent('Updates stopped');
    expect(screen.getAllByTestId('job-row')).toHaveLength(1);
  });

  it('is routed at /jobs with a "Jobs" entry in the navigation', async () => {
    window.history.pushState({}, '', '/jobs');
    const api = fakeApi();
    const fs = fakeFirestore();
    render(
      <ThemeProvider theme={theme}>
        <ServicesProvider value={{ api: api as unknown as Api, jobs: fs.sub }}>
          <SessionProvider value={fakeSession()}>
            <App />
          </SessionProvider>
        </ServicesProvider>
      </ThemeProvider>,
    );
    expect(await screen.findByRole('heading', { name: 'Jobs' })).toBeInTheDocument();
    await waitFor(() => expect(fs.calls).toHaveLength(1));
    fs.push(JOBS);
    expect(await rows()).toHaveLength(3);
    await userEvent.click(screen.getByRole('button', { name: 'Open navigation' }));
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Jobs' })).toHaveAttribute('href', '/jobs');
  });
});
