import { describe, expect, it, vi } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { JobProgress } from './JobProgress';
import type { JobSubscriber } from './live';
import type { Job, JobItem } from '../../api/types';
import { fakeSession, renderApp } from '../../test/render';

/** A fake Firestore: the test pushes snapshots through it, like onSnapshot would. */
function fakeSubscriber() {
  const jobListeners: ((j: Job | null) => void)[] = [];
  const itemListeners: ((i: JobItem[]) => void)[] = [];
  const errorListeners: ((e: Error) => void)[] = [];
  const unsubscribed = { job: 0, items: 0 };
  const calls: string[] = [];
  const sub: JobSubscriber = {
    job: (t, j, onData, onError) => {
      calls.push(`job:${t}/${j}`);
      jobListeners.push(onData);
      errorListeners.push(onError);
      return () => void unsubscribed.job++;
    },
    items: (t, j, onData, onError) => {
      calls.push(`items:${t}/${j}`);
      itemListeners.push(onData);
      errorListeners.push(onError);
      return () => void unsubscribed.items++;
    },
    list: () => () => {},
  };
  return {
    sub,
    calls,
    unsubscribed,
    pushJob: (j: Job | null) => act(() => jobListeners.forEach((l) => l(j))),
    pushItems: (i: JobItem[]) => act(() => itemListeners.forEach((l) => l(i))),
    fail: (e: Error) => act(() => errorListeners.forEach((l) => l(e))),
  };
}

const job = (over: Partial<Job> = {}): Job => ({
  id: 'j1',
  campaign_id: 'c1',
  kind: 'image_set',
  status: 'running',
  phase: 'rendering',
  counts: { total: 4, pending: 2, running: 1, succeeded: 1, failed: 0, cancelled: 0 },
  eta_s: 12,
  ...over,
});

describe('JobProgress (live)', () => {
  it('listens to the job doc and its items of the right tenant and shows progress as snapshots arrive', async () => {
    const fs = fakeSubscriber();
    const getCreative = vi.fn(async (id: string) => ({ id, kind: 'image', status: 'draft', campaign_id: 'c1', assets: [{ ratio: '1:1', width: 1080, height: 1080, url: `https://cdn.test/${id}.png`, content_type: 'image/png' }] }));
    renderApp(<JobProgress tenantId="t1" jobId="j1" subscribe={fs.sub} />, { api: { getCreative } as never });
    expect(fs.calls).toEqual(['job:t1/j1', 'items:t1/j1']);
    expect(screen.getByText('Connecting to live updates…')).toBeInTheDocument();

    fs.pushJob(job());
    expect(screen.getByTestId('job-status')).toHaveTextContent('running');
    expect(screen.getByRole('progressbar', { name: 'Job progress' })).toHaveAttribute('aria-valuenow', '25');
    expect(screen.getByTestId('job-summary')).toHaveTextContent('rendering · 1 of 4 done · about 12 s left');

    fs.pushItems([
      { id: 'i1', status: 'succeeded', creative_id: 'cr1', ratio: '1:1' },
      { id: 'i2', status: 'running', ratio: '9:16' },
    ]);
    expect(screen.getAllByTestId('job-item-done')).toHaveLength(1);
    expect(await screen.findByAltText('Creative cr1 1:1')).toHaveAttribute('src', 'https://cdn.test/cr1.png');

    fs.pushJob(job({ status: 'partially_succeeded', phase: 'done', counts: { total: 4, pending: 0, running: 0, succeeded: 3, failed: 1, cancelled: 0 } }));
    fs.pushItems([
      { id: 'i1', status: 'succeeded', creative_id: 'cr1', ratio: '1:1' },
      { id: 'i2', status: 'succeeded', creative_id: 'cr2', ratio: '9:16' },
      { id: 'i3', status: 'succeeded', creative_id: 'cr3', ratio: '4:5' },
      { id: 'i4', status: 'failed', ratio: '16:9', error_reason: 'safety filter blocked the image' },
    ]);
    expect(screen.getByRole('progressbar', { name: 'Job progress' })).toHaveAttribute('aria-valuenow', '100');
    expect(screen.getAllByTestId('job-item-done')).toHaveLength(3);
    const failed = screen.getByRole('list', { name: 'Failed items' });
    expect(within(failed).getByText('16:9: safety filter blocked the image')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel' })).not.toBeInTheDocument();
    expect(screen.getByTestId('job-summary')).toHaveTextContent('3 of 4 done · 1 failed');
    expect(screen.getByTestId('job-summary')).not.toHaveTextContent('left');
  });

  it('cancels a running job through the API and retries a failed one', async () => {
    const fs = fakeSubscriber();
    const cancelJob = vi.fn(async () => job({ status: 'cancelled' }));
    const retryJob = vi.fn(async () => job({ status: 'queued' }));
    renderApp(<JobProgress tenantId="t1" jobId="j1" subscribe={fs.sub} />, { api: { cancelJob, retryJob } as never });
    fs.pushJob(job());
    expect(screen.queryByRole('button', { name: 'Retry failed' })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(cancelJob).toHaveBeenCalledWith('j1');

    fs.pushJob(job({ status: 'failed', error: { code: 'quota', message: 'Image quota exhausted' } }));
    expect(screen.getByText('Image quota exhausted')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry failed' }));
    expect(retryJob).toHaveBeenCalledWith('j1');
  });

  it('reloads who the user is when the rules refuse its listeners (access ended or changed)', async () => {
    const fs = fakeSubscriber();
    const session = fakeSession();
    renderApp(<JobProgress tenantId="t1" jobId="j1" subscribe={fs.sub} />, { session });
    fs.fail(Object.assign(new Error('Missing or insufficient permissions.'), { code: 'permission-denied' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Live updates stopped');
    await waitFor(() => expect(session.refresh).toHaveBeenCalled());
  });

  it('shows listener errors and unsubscribes on unmount', () => {
    const fs = fakeSubscriber();
    const { unmount } = renderApp(<JobProgress tenantId="t1" jobId="j1" subscribe={fs.sub} />);
    fs.fail(new Error('Missing or insufficient permissions.'));
    expect(screen.getByRole('alert')).toHaveTextContent('Missing or insufficient permissions.');
    unmount();
    expect(fs.unsubscribed).toEqual({ job: 1, items: 1 });
  });
});

describe('JobProgress (video)', () => {
  it('labels scenes and shows the assembled video creative from creative_ids', async () => {
    const fs = fakeSubscriber();
    const getCreative = vi.fn(async (id: string) => ({ id, kind: 'video', status: 'draft', campaign_id: 'c1', assets: [{ ratio: '9:16', width: 720, height: 1280, url: `https://cdn.test/${id}.mp4`, content_type: 'video/mp4', duration_s: 6 }] }));
    renderApp(<JobProgress tenantId="t1" jobId="j1" subscribe={fs.sub} />, { api: { getCreative } as never });
    fs.pushJob(job({ kind: 'video', status: 'succeeded', phase: 'done', counts: { total: 2, pending: 0, running: 0, succeeded: 2, failed: 0, cancelled: 0 }, creative_ids: ['vid1'] }));
    fs.pushItems([
      { id: 's1', index: 1, kind: 'scene', status: 'succeeded', ratio: '9:16' },
      { id: 's0', index: 0, kind: 'scene', status: 'succeeded', ratio: '9:16' },
    ]);
    expect(screen.getAllByTestId('job-item-done').map((e) => e.textContent)).toEqual(['Scene 1 ✓', 'Scene 2 ✓']);
    const video = await screen.findByLabelText('Creative vid1 9:16');
    expect(video.tagName).toBe('VIDEO');
  });
});
