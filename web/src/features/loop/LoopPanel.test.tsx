import { describe, expect, it, vi } from 'vitest';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { ThemeProvider } from '@mui/material';
import { theme } from '../../theme';
import { ServicesProvider, SessionProvider } from '../../app/services';
import { ME, fakeSession, noJobs } from '../../test/render';
import type { Api } from '../../api/client';
import type { Campaign, Creative, LoopCandidate } from '../../api/types';
import type { LoopSubscriber } from './live';
import { LoopPanel } from './LoopPanel';

const CAMPAIGN: Campaign = {
  id: 'c1', brand_id: 'b1', name: 'Launch', objective: 'sales', offer: 'Shoes', product_facts: [],
  audiences: [], platforms: ['meta'], languages: ['en'], loop: { mode: 'suggest', daily_cap: 3 },
};
const cand = (over: Partial<LoopCandidate>): LoopCandidate => ({
  id: 'experiment_loser-cr1', campaign_id: 'c1', brand_id: 'b1', creative_id: 'cr1234567890',
  reason: 'experiment_loser', summary: 'lost the experiment “Headline test”: A leads; B can be dropped',
  status: 'suggested', automatic: false, held_back: null, job_id: 'j1',
  created_at: '2026-11-30T01:00:00Z', updated_at: '2026-11-30T01:00:00Z', ...over,
});

// What the API says about a creative: its first headline and ratio name it in the panel.
const creative = (id: string): Creative => ({
  id, kind: 'image', status: 'approved', campaign_id: 'c1', ratio: '9:16',
  fields: { headline: `Headline of ${id}` } as Creative['fields'],
});
const getCreative = vi.fn(async (id: string) => {
  if (id === 'gone') throw new Error('not found');
  return creative(id);
});

function mount(api: Partial<Api>, subscriber?: LoopSubscriber, role: 'owner' | 'viewer' = 'owner') {
  const onSaved = vi.fn();
  api = { getCreative, ...api };
  render(
    <ThemeProvider theme={theme}>
      <ServicesProvider value={{ api: api as Api, jobs: noJobs, loop: subscriber }}>
        <SessionProvider value={fakeSession({ me: { ...ME, role } })}>
          <MemoryRouter>
            <LoopPanel campaign={CAMPAIGN} etag='"v1"' onSaved={onSaved} />
          </MemoryRouter>
        </SessionProvider>
      </ServicesProvider>
    </ThemeProvider>,
  );
  return { onSaved };
}

describe('LoopPanel', () => {
  it('lists suggestions live and starts the regenerate job with one click', async () => {
    let push: (xs: LoopCandidate[]) => void = () => {};
    const subscriber: LoopSubscriber = {
      candidates: vi.fn((_t, _c, onData) => {
        push = onData;
        return () => {};
      }),
    };
    const regenerateCandidate = vi.fn(async () => cand({ status: 'started', started_by: { type: 'user', id: 'u1' } }));
    mount({ regenerateCandidate }, subscriber);
    expect(subscriber.candidates).toHaveBeenCalledWith('t1', { id: 'c1', brand_id: 'b1' }, expect.any(Function), expect.any(Function));
    act(() => push([]));
    expect(screen.getByTestId('no-suggestions')).toBeInTheDocument();
    act(() => push([cand({}), cand({ id: 'fatigue-cr2', reason: 'fatigue', summary: 'fatigued: CTR trend 3.0% -> 1.6%', held_back: 'daily_cap' })]));
    const row = screen.getByTestId('suggestion-experiment_loser-cr1');
    expect(row).toHaveTextContent('Lost an experiment');
    // named by its headline and ratio once the API has answered, not by an id prefix
    expect(await within(row).findByText(/“Headline of cr1234567890” \(9:16\)/)).toBeInTheDocument();
    expect(getCreative).toHaveBeenCalledWith('cr1234567890');
    expect(screen.getByTestId('suggestion-fatigue-cr2')).toHaveTextContent('daily cap of automatic jobs was reached');
    await userEvent.click(within(row).getByRole('button', { name: 'Regenerate' }));
    expect(regenerateCandidate).toHaveBeenCalledWith('c1', 'experiment_loser-cr1');
    expect(screen.queryByTestId('suggestion-experiment_loser-cr1')).not.toBeInTheDocument();
    // the accepted suggestion moves to the replacements with its job, and no Undo (a person
    // started it; only the loop's own replacements are undone here)
    const moved = screen.getByTestId('replacement-experiment_loser-cr1');
    expect(moved).toHaveTextContent('from a suggestion');
    expect(within(moved).getByRole('link', { name: 'started' })).toHaveAttribute('href', '/jobs/j1');
    expect(within(moved).queryByRole('button', { name: 'Undo' })).not.toBeInTheDocument();
  });

  it('names a creative it cannot read by its id', async () => {
    const listLoopCandidates = vi.fn(async () => ({ items: [cand({ creative_id: 'gone' })], next_cursor: null }));
    mount({ listLoopCandidates });
    const row = await screen.findByTestId('suggestion-experiment_loser-cr1');
    await vi.waitFor(() => expect(getCreative).toHaveBeenCalledWith('gone'));
    expect(row).toHaveTextContent('Creative gone…');
  });

  it('shows automatic replacements with Undo, and dismisses', async () => {
    const started = cand({ id: 'fatigue-cr3', reason: 'fatigue', status: 'started', automatic: true, job_id: 'j9' });
    const listLoopCandidates = vi.fn(async () => ({ items: [started, cand({})], next_cursor: null }));
    const undoCandidate = vi.fn(async () => ({ ...started, status: 'undone' as const }));
    const dismissCandidate = vi.fn(async () => cand({ status: 'dismissed' }));
    mount({ listLoopCandidates, undoCandidate, dismissCandidate });
    const row = await screen.findByTestId('replacement-fatigue-cr3');
    expect(row).toHaveTextContent('by the loop');
    expect(within(row).getByRole('link', { name: 'started' })).toHaveAttribute('href', '/jobs/j9');
    await userEvent.click(within(row).getByRole('button', { name: 'Undo' }));
    expect(undoCandidate).toHaveBeenCalledWith('c1', 'fatigue-cr3');
    expect(within(screen.getByTestId('replacement-fatigue-cr3')).getByText('Undone')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(dismissCandidate).toHaveBeenCalledWith('c1', 'experiment_loser-cr1');
    expect(screen.getByTestId('no-suggestions')).toBeInTheDocument();
  });

  it('saves the mode and the daily cap, refusing a cap out of range', async () => {
    const updated = { ...CAMPAIGN, loop: { mode: 'auto' as const, daily_cap: 5 } };
    const updateCampaign = vi.fn(async () => ({ campaign: updated, etag: '"v2"' }));
    const listLoopCandidates = vi.fn(async () => ({ items: [], next_cursor: null }));
    const { onSaved } = mount({ updateCampaign, listLoopCandidates });
    await userEvent.click(screen.getByRole('combobox', { name: 'Mode' }));
    await userEvent.click(screen.getByRole('option', { name: 'Automatic' }));
    const cap = screen.getByLabelText('Automatic jobs per day');
    await userEvent.clear(cap);
    await userEvent.type(cap, '99');
    expect(screen.getByRole('button', { name: 'Save loop settings' })).toBeDisabled();
    await userEvent.clear(cap);
    await userEvent.type(cap, '5');
    await userEvent.click(screen.getByRole('button', { name: 'Save loop settings' }));
    expect(updateCampaign).toHaveBeenCalledWith('c1', { loop: { mode: 'auto', daily_cap: 5 } }, '"v1"');
    expect(onSaved).toHaveBeenCalledWith({ campaign: updated, etag: '"v2"' });
    expect(screen.getByRole('status')).toHaveTextContent('Loop settings saved');
  });

  it('gives viewers no buttons', async () => {
    const listLoopCandidates = vi.fn(async () => ({ items: [cand({})], next_cursor: null }));
    mount({ listLoopCandidates }, undefined, 'viewer');
    await screen.findByTestId('suggestion-experiment_loser-cr1');
    expect(screen.queryByRole('button', { name: 'Regenerate' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save loop settings' })).not.toBeInTheDocument();
  });
});
