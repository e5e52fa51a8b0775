import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import ImportPage from './ImportPage';
import { renderApp } from '../../test/render';
import type { MetricImport } from '../../api/types';

const base: MetricImport = {
  id: 'imp1',
  tenant_id: 't1',
  status: 'applying',
  filename: 'report.csv',
  bytes: 10,
  rows_total: 3,
  rows_matched: 2,
  facts_total: 2,
  facts_written: 0,
  facts_unchanged: 0,
  chunks_total: 2,
  chunks_done: 1,
  skipped_totals: 1,
  problem_count: 1,
  problems: [{ line: 7, reason: 'no creative of this workspace has these ad texts' }],
  warnings: [],
};

describe('ImportPage', () => {
  it('uploads the file and shows progress, then the rows it could not use', async () => {
    const importReport = vi.fn(async () => ({ ...base, status: 'uploaded' as const }));
    const getImport = vi
      .fn()
      .mockResolvedValueOnce(base)
      .mockResolvedValue({ ...base, status: 'succeeded', chunks_done: 2, facts_written: 2 });
    renderApp(<ImportPage />, { api: { importReport, getImport } });
    const file = new File(['Day,Impr.\n'], 'report.csv', { type: 'text/csv' });
    await userEvent.upload(screen.getByTestId('report-file'), file);
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));
    expect(importReport).toHaveBeenCalledWith(file, { filename: 'report.csv', platform: undefined, currency: undefined });
    await waitFor(() => expect(screen.getByTestId('import-status')).toHaveTextContent('Done: 2 of 3 rows matched'), { timeout: 15000 });
    expect(screen.getByRole('table', { name: 'Rows not used' })).toHaveTextContent('7');
    expect(screen.getByText(/no creative of this workspace has these ad texts/)).toBeInTheDocument();
  });

  it('shows why an upload was refused', async () => {
    const importReport = vi.fn(async () => {
      throw new Error('the file is empty');
    });
    renderApp(<ImportPage />, { api: { importReport } });
    await userEvent.upload(screen.getByTestId('report-file'), new File([''], 'empty.csv'));
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));
    expect(await screen.findByText(/the file is empty/)).toBeInTheDocument();
  });
});
