import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { ThemeProvider } from '@mui/material';
import { theme } from '../../theme';
import { ServicesProvider, SessionProvider } from '../../app/services';
import { fakeSession, noJobs, renderApp } from '../../test/render';
import type { Api } from '../../api/client';
import type { Creative, Experiment, ExperimentDecision } from '../../api/types';
import type { ExperimentSubscriber } from './live';
import ExperimentPage from './ExperimentPage';
import GalleryPage from '../gallery/GalleryPage';

const arm = (label: string, over: Partial<ExperimentDecision['arms'][number]> = {}) => ({
  arm_id: `arm-${label}`, label, mean: 0.02, low: 0.018, high: 0.022, prob_best: 0.5,
  expected_loss: 0.001, relative_loss: 0.05, allocation: 0.5, status: 'open' as const, ...over,
});
const decision = (over: Partial<ExperimentDecision>): ExperimentDecision => ({
  outcome: 'insufficient_data', reason: 'Not enough data yet: 3 of the 7 days needed have matured.',
  winner: null, losers: [], metric: 'ctr', arms: [arm('A'), arm('B')], srm_p_value: null,
  runtime_days: 3, window_start: '2026-11-01', window_end: '2026-11-03',
  engine_version: 'experiments-1', seed: 7, input_hash: 'h', ...over,
});
const EXP: Experiment = {
  id: 'e1', campaign_id: 'c1', brand_id: 'b1', name: 'Headline test', metric: 'ctr', guardrails: [],
  status: 'running', start_date: '2026-11-01', decision: null,
  arms: [{ arm_id: 'arm-A', label: 'A', creative_id: 'cr1' }, { arm_id: 'arm-B', label: 'B', creative_id: 'cr2' }],
};

describe('ExperimentPage', () => {
  it('follows the experiment document live: pending, then not enough data, then a winner', async () => {
    let push: (e: Experiment | null) => void = () => {};
    const subscriber: ExperimentSubscriber = {
      experiment: vi.fn((_t, _id, onData) => {
        push = onData;
        return () => {};
      }),
    };
    const headlines: Record<string, string> = { cr1: 'Fresh bread daily', cr2: 'Baked at dawn' };
    const api = { getCreative: vi.fn(async (id: string) => ({ id, kind: 'copy', status: 'approved', fields: { headlines: [headlines[id]] } })) };
    render(
      <ThemeProvider theme={theme}>
        <ServicesProvider value={{ api: api as unknown as Api, jobs: noJobs, experiments: subscriber }}>
          <SessionProvider value={fakeSession()}>
            <MemoryRouter initialEntries={['/experiments/e1']}>
              <Routes>
                <Route path="/experiments/:id" element={<ExperimentPage />} />
              </Routes>
            </MemoryRouter>
          </SessionProvider>
        </ServicesProvider>
      </ThemeProvider>,
    );
    expect(subscriber.experiment).toHaveBeenCalledWith('t1', 'e1', expect.any(Function), expect.any(Function));
    act(() => push(EXP));
    expect(await screen.findByTestId('decision-pending')).toBeInTheDocument();
    act(() => push({ ...EXP, decision: decision({}) }));
    expect(screen.getByTestId('decision')).toHaveAttribute('data-outcome', 'insufficient_data');
    expect(screen.getByTestId('budget-advice')).toHaveTextContent('Keep the current split');
    act(() =>
      push({
        ...EXP,
        decision: decision({
          outcome: 'inconclusive', reason: 'B leads on CTR with 88% probability to be best (A: 12%).',
          arms: [arm('A', { prob_best: 0.12, allocation: 0.5000001 }), arm('B', { prob_best: 0.88, allocation: 0.4999999 })],
        }),
      }),
    );
    // top-two Thompson sampling splits two open arms evenly; the leader is named first
    expect(screen.getByTestId('budget-advice')).toHaveTextContent('Keep an even split (B 50%, A 50%): it finds the better arm fastest.');
    act(() =>
      push({
        ...EXP,
        decision: decision({
          outcome: 'losers', reason: 'C leads on CTR with 80% probability to be best (B: 20%); A can be dropped.',
          arms: [
            arm('A', { prob_best: 0.001, allocation: 0.01, status: 'loser' }),
            arm('B', { prob_best: 0.2, allocation: 0.4 }),
            arm('C', { prob_best: 0.799, allocation: 0.59 }),
          ],
        }),
      }),
    );
    expect(screen.getByTestId('budget-advice')).toHaveTextContent(
      'Where to shift budget: C 59%, B 40%, A 1% (more to the likely best, enough to the runner-up to keep learning). A can be paused.',
    );
    act(() =>
      push({
        ...EXP,
        decision: decision({
          outcome: 'winner', winner: 'arm-B', losers: ['arm-A'],
          reason: 'B beats A on CTR with 99.8% probability (3.00% vs 2.00%, +50%); choosing B now risks <0.1% of its CTR.',
          arms: [
            arm('A', { mean: 0.02, low: 0.019, high: 0.021, prob_best: 0.002, allocation: 0.08, status: 'loser', relative_loss: 0.1 }),
            arm('B', { mean: 0.03, low: 0.029, high: 0.031, prob_best: 0.998, allocation: 0.92, status: 'winner', relative_loss: 0.0001 }),
          ],
        }),
      }),
    );
    const banner = screen.getByTestId('decision');
    expect(banner).toHaveAttribute('data-outcome', 'winner');
    expect(banner).toHaveTextContent('B beats A on CTR with 99.8% probability (3.00% vs 2.00%, +50%)');
    const rowB = screen.getByTestId('arm-B');
    expect(within(rowB).getByText('99.8%')).toBeInTheDocument();
    expect(within(rowB).getByText('92%')).toBeInTheDocument(); // where to shift budget
    expect(screen.getByTestId('budget-advice')).toHaveTextContent('Shift budget to B: B 92%, A 8%.');
    expect(within(rowB).getByText('3.00% (2.90% – 3.10%)')).toBeInTheDocument();
    expect(screen.getByTestId('interval-B')).toBeInTheDocument();
    // each arm says which creative it is
    expect(within(rowB).getByText('“Baked at dawn”')).toBeInTheDocument();
    expect(within(screen.getByTestId('arm-A')).getByText('“Fresh bread daily”')).toBeInTheDocument();
    expect(api.getCreative).toHaveBeenCalledTimes(2); // once per creative, not per snapshot
  });
});

describe('Gallery: starting an experiment', () => {
  it('picks two creatives of one campaign and creates an experiment with them as arms', async () => {
    const creatives: Creative[] = [
      { id: 'cr1', kind: 'copy', status: 'approved', campaign_id: 'c1', fields: { headlines: ['Fresh bread daily'] } },
      { id: 'cr2', kind: 'copy', status: 'approved', campaign_id: 'c1', fields: { headlines: ['Baked at dawn'] } },
    ];
    const api = {
      listCampaigns: vi.fn(async () => ({ items: [{ id: 'c1', name: 'Spring sale' }], next_cursor: null })),
      listCreatives: vi.fn(async () => ({ items: creatives, next_cursor: null })),
      createExperiment: vi.fn(async () => ({ ...EXP, id: 'new-exp' })),
      getCreative: vi.fn(),
    };
    renderApp(<GalleryPage />, { api: api as never, route: '/gallery', path: '/gallery' });
    const cards = await screen.findAllByTestId('creative-card');
    await userEvent.click(within(cards[0]).getByRole('checkbox', { name: 'Compare' }));
    expect(screen.getByRole('button', { name: 'Start experiment' })).toBeDisabled();
    await userEvent.click(within(cards[1]).getByRole('checkbox', { name: 'Compare' }));
    await userEvent.click(screen.getByRole('button', { name: 'Start experiment' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('A “Fresh bread daily”, B “Baked at dawn”');
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Name' }), { target: { value: 'Bread headlines' } });
    // the arms ran before today: their past days count from the chosen day on
    const from = within(dialog).getByLabelText('Count performance from');
    expect(from).toHaveValue(new Date().toISOString().slice(0, 10));
    const start = within(dialog).getByRole('button', { name: 'Start experiment' });
    fireEvent.change(from, { target: { value: '2999-01-01' } });
    expect(start).toBeDisabled();
    expect(dialog).toHaveTextContent('Pick today or an earlier day');
    fireEvent.change(from, { target: { value: '2026-11-02' } });
    await userEvent.click(start);
    expect(api.createExperiment).toHaveBeenCalledWith({
      campaign_id: 'c1', name: 'Bread headlines', metric: 'ctr',
      arms: [{ creative_id: 'cr1' }, { creative_id: 'cr2' }], start_date: '2026-11-02',
    });
    expect(await screen.findByTestId('elsewhere')).toBeInTheDocument(); // navigated to the experiment
  }, 40_000); // the whole gallery renders: slow on a loaded CI machine
});
