import { useCallback, useEffect, useRef, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import {
  Box,
  Button,
  Chip,
  LinearProgress,
  Link,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useApi } from '../../app/services';
import { useLoad } from '../../lib/useLoad';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../components/States';
import { TERMINAL_JOB_STATUSES, type Job } from '../../api/types';
import type { Api } from '../../api/client';
import { human, jobPercent, kindLabel, STATUS_COLOR } from './JobProgress';

/** How often the list is refreshed while a listed job is still running. */
export const POLL_MS = 3000;
/** GET /v1/jobs lists newest first (job ids sort by creation time): one page is the newest. */
const SHOWN = 50;

function createdMs(v: unknown): number {
  if (typeof v === 'string' || typeof v === 'number') return new Date(v).getTime() || 0;
  if (v && typeof v === 'object' && 'seconds' in v) return Number((v as { seconds: number }).seconds) * 1000;
  return 0;
}

export interface JobList {
  items: Job[];
  /** More (older) jobs exist than are shown. */
  truncated: boolean;
}

/** The caller's jobs (the API filters by tenant and brand access), newest first. */
export async function loadJobs(api: Pick<Api, 'listJobs'>): Promise<JobList> {
  const page = await api.listJobs({ limit: SHOWN });
  // Sorted again by time: jobs made before ids were time-ordered come in id order.
  const items = [...page.items].sort(
    (a, b) => createdMs(b.created_at) - createdMs(a.created_at) || a.id.localeCompare(b.id),
  );
  return { items, truncated: !!page.next_cursor };
}

/**
 * Recent jobs, read through the HTTP API and refreshed every `pollMs` while any listed job is
 * not terminal. (A Firestore list query is not rule-safe for brand-limited members: see report.)
 */
export default function JobsPage({ pollMs = POLL_MS }: { pollMs?: number }) {
  const api = useApi();
  const jobs = useLoad(() => loadJobs(api), [api]);
  const campaigns = useLoad(() => api.listCampaigns({ limit: 100 }), [api]);
  const [refreshError, setRefreshError] = useState<unknown>(null);
  const { data, setData } = jobs;
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const running = (data?.items ?? []).some((j) => !TERMINAL_JOB_STATUSES.includes(j.status));
  const refresh = useCallback(async () => {
    try {
      const next = await loadJobs(api);
      if (alive.current) {
        setRefreshError(null);
        setData(next);
      }
    } catch (e) {
      if (alive.current) setRefreshError(e);
    }
  }, [api, setData]);
  useEffect(() => {
    if (!running || refreshError) return;
    const t = setTimeout(() => void refresh(), pollMs);
    return () => clearTimeout(t);
  }, [running, refreshError, data, refresh, pollMs]);

  const campaignName = (id: string) => campaigns.data?.items.find((c) => c.id === id)?.name ?? id;

  return (
    <>
      <PageHeader title="Jobs" subtitle="Recent generation jobs, newest first" />
      {jobs.loading && <Loading label="Loading jobs" />}
      <ErrorAlert error={jobs.error} onRetry={jobs.reload} title="Cannot load jobs" />
      <ErrorAlert error={refreshError} onRetry={() => void refresh()} title="Updates stopped: cannot refresh the jobs" />
      <ErrorAlert error={campaigns.error} onRetry={campaigns.reload} title="Cannot load campaign names (showing ids)" />
      {data && data.items.length === 0 && (
        <EmptyState
          title="No jobs yet"
          action={
            <Button component={RouterLink} to="/campaigns" variant="contained">
              Go to campaigns
            </Button>
          }
        >
          Start an image set, a video or a copy batch from a campaign&apos;s Generate page.
        </EmptyState>
      )}
      {data && data.items.length > 0 && (
        <TableContainer>
          <Table size="small" aria-label="Jobs">
            <TableHead>
              <TableRow>
                <TableCell>Kind</TableCell>
                <TableCell>Campaign</TableCell>
                <TableCell>Status</TableCell>
                <TableCell sx={{ minWidth: 160 }}>Progress</TableCell>
                <TableCell>Created</TableCell>
                <TableCell align="right">Details</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.items.map((j) => {
                const pct = jobPercent(j);
                const c = j.counts;
                const created = createdMs(j.created_at);
                return (
                  <TableRow key={j.id} data-testid="job-row" data-job-id={j.id}>
                    <TableCell>{kindLabel(j.kind)}</TableCell>
                    <TableCell>{campaignName(j.campaign_id)}</TableCell>
                    <TableCell>
                      <Chip size="small" label={human(j.status)} color={STATUS_COLOR[j.status] ?? 'default'} data-testid="job-status" />
                    </TableCell>
                    <TableCell>
                      <LinearProgress variant="determinate" value={pct} aria-label={`Progress of job ${j.id}`} color={j.status === 'failed' ? 'error' : 'primary'} />
                      <Typography variant="caption" color="text.secondary" data-testid="job-counts">
                        {c?.succeeded ?? 0} of {c?.total ?? 0} done
                        {c?.failed ? ` · ${c.failed} failed` : ''}
                        {c?.cancelled ? ` · ${c.cancelled} cancelled` : ''}
                        {c && (c.running || c.pending) ? ` · ${c.running ?? 0} running, ${c.pending ?? 0} waiting` : ''}
                      </Typography>
                    </TableCell>
                    <TableCell>{created ? new Date(created).toLocaleString() : '—'}</TableCell>
                    <TableCell align="right">
                      <Link component={RouterLink} to={`/jobs/${j.id}`} aria-label={`Open ${kindLabel(j.kind).toLowerCase()} job ${j.id}`}>
                        Open
                      </Link>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      {data?.truncated && (
        <Box sx={{ mt: 1 }}>
          <Typography variant="body2" color="text.secondary">
            Showing the {SHOWN} newest jobs.
          </Typography>
        </Box>
      )}
    </>
  );
}
