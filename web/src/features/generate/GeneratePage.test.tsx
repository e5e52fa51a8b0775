import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import GeneratePage from './GeneratePage';
import { renderApp } from '../../test/render';
import type { JobSubscriber } from '../jobs/live';
import type { Job } from '../../api/types';

const campaign = {
  id: 'c1',
  brand_id: 'b1',
  name: 'Spring sale',
  objective: 'traffic',
  offer: '20% off',
  product_facts: [],
  landing_url: 'https://a.test',
  audiences: ['runners'],
  platforms: ['meta', 'google_rsa'],
  languages: ['en', 'de'],
};

describe('GeneratePage', () => {
  it('sends the copy request, shows variants, and follows a started image job live', async () => {
    const api = {
      getCampaign: vi.fn(async () => ({ campaign, etag: '"1"' })),
      listJobs: vi.fn(async () => ({ items: [], next_cursor: null })),
      generateCopy: vi.fn(async () => ({
        creative_ids: ['v1'],
        variants: [{ id: 'v1', fields: { headlines: ['Run further'] }, violations: [], limits: { headlines: 27 }, compliant: true }],
        engine: 'local',
        model: 'm',
        prompt_version: 'p1',
      })),
      startJob: vi.fn(async () => ({ id: 'j42', status: 'queued' })),
    };
    const listened: string[] = [];
    let push: ((j: Job | null) => void) | null = null;
    const jobs: JobSubscriber = {
      job: (t, j, onData) => {
        listened.push(`${t}/${j}`);
        push = onData;
        return () => {};
      },
      items: () => () => {},
      list: () => () => {},
    };
    renderApp(<GeneratePage />, { api: api as never, jobs, route: '/campaigns/c1/generate', path: '/campaigns/:id/generate' });
    await screen.findByText('Spring sale');
    await userEvent.click(screen.getByRole('combobox', { name: /^Language/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'de' }));
    await userEvent.click(screen.getByRole('button', { name: 'Generate copy' }));
    expect(api.generateCopy).toHaveBeenCalledWith('c1', { platform: 'meta', language: 'de' });
    const variant = await screen.findByTestId('copy-variant');
    expect(within(variant).getByText('Run further')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('tab', { name: 'Images' }));
    await userEvent.click(screen.getByRole('checkbox', { name: '9:16' }));
    await userEvent.click(screen.getByRole('button', { name: 'Start image set' }));
    expect(api.startJob).toHaveBeenCalledWith('c1', { kind: 'image_set', variants: 4, ratios: ['1:1', '9:16'] });
    await waitFor(() => expect(listened).toEqual(['t1/j42']));
    push!({ id: 'j42', campaign_id: 'c1', kind: 'image_set', status: 'running', phase: 'rendering', counts: { total: 8, pending: 4, running: 2, succeeded: 2, failed: 0, cancelled: 0 } });
    expect(await screen.findByTestId('job-summary')).toHaveTextContent('2 of 8 done');
  });

  it('shows the API error with its field problems when a job cannot start', async () => {
    const { ApiError } = await import('../../api/client');
    const api = {
      getCampaign: vi.fn(async () => ({ campaign, etag: '"1"' })),
      listJobs: vi.fn(async () => ({ items: [], next_cursor: null })),
      startJob: vi.fn(async () => {
        throw new ApiError(400, 'invalid_argument', 'Bad job', [{ field: 'ratios[0]', problem: 'unsupported ratio' }]);
      }),
    };
    renderApp(<GeneratePage />, { api: api as never, route: '/campaigns/c1/generate', path: '/campaigns/:id/generate' });
    await screen.findByText('Spring sale');
    await userEvent.click(screen.getByRole('tab', { name: 'Video' }));
    await userEvent.click(screen.getByRole('button', { name: 'Start video' }));
    expect(api.startJob).toHaveBeenCalledWith('c1', { kind: 'video', duration_s: 6, ratio: '9:16', scenes: 3 });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Bad job');
    expect(alert).toHaveTextContent('ratios[0]: unsupported ratio');
  });
});
