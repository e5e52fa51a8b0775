import { useEffect, useState } from 'react';
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
import { useApi, useServices, useSession } from '../../app/services';
import { useLoad } from '../../lib/useLoad';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../components/States';
import type { Job } from '../../api/types';
import type { JobSubscriber } from './live';
import { useReloadOnAccessDenied } from './accessLost';
import { human, jobPercent, kindLabel, STATUS_COLOR } from './JobProgress';

/** Job ids sort newest first (they start with a countdown clock): the first 50 are the newest. */
const SHOWN = 50;

function createdMs(v: unknown): number {
  if (typeof v === 'string' || typeof v === 'number') return new Date(v).getTime() || 0;
  if (v && typeof v === 'object' && 'seconds' in v) return Number((v as { seconds: number }).seconds) * 1000;
  return 0;
}

export interface JobList {
  items: Job[];
  /** As many jobs as asked for were listed: older ones may exist. */
  truncated: boolean;
}

/** Newest first; sorted again by time, as jobs made before ids were time-ordered come in id order. */
export function toJobList(jobs: Job[], shown = SHOWN): JobList {
  const items = [...jobs].sort(
    (a, b) => createdMs(b.created_at) - createdMs(a.created_at) || a.id.localeCompare(b.id),
  );
  return { items, truncated: jobs.length >= shown };
}

/**
 * Recent jobs, live from a Firestore listener on the tenant's jobs (never polls the API). A
 * brand-limited member's query is constrained to their brands (rules require it); a member
 * limited to no brand sees no jobs and nothing is queried. `subscribe` is injectable for tests.
 */
export default function JobsPage({ subscribe }: { subscribe?: JobSubscriber }) {
  const api = useApi();
  const services = useServices();
  const sub = subscribe ?? services.jobs;
  const { me } = useSession();
  const onDenied = useReloadOnAccessDenied();
  const tenantId = me?.tenant_id ?? null;
  const brandIds = me?.brand_ids ?? null;
  const brandKey = brandIds ? JSON.stringify(brandIds) : null;
  const campaigns = useLoad(() => api.listCampaigns({ limit: 100 }), [api]);
  const [data, setData] = useState<JobList | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setError(null);
    if (!tenantId) return;
    const brands: string[] | null = brandKey ? (JSON.parse(brandKey) as string[]) : null;
    if (brands && brands.length === 0) {
      setData({ items: [], truncated: false });
      return;
    }
    return sub.list(tenantId, { brandIds: brands, limit: SHOWN }, (jobs) => {
      setError(null);
      setData(toJobList(jobs));
    }, (e) => {
      setError(e);
      onDenied(e);
    });
  }, [sub, tenantId, brandKey, attempt, onDenied]);

  const retry = () => setAttempt((n) => n + 1);
  const loading = !data && !error && !!tenantId;

  const campaignName = (id: string) => campaigns.data?.items.find((c) => c.id === id)?.name ?? id;

  return (
    <>
      <PageHeader title="Jobs" subtitle="Recent generation jobs, newest first" />
      {loading && <Loading label="Loading jobs" />}
      <ErrorAlert error={data ? null : error} onRetry={retry} title="Cannot load jobs" />
      <ErrorAlert error={data ? error : null} onRetry={retry} title="Updates stopped: cannot refresh the jobs" />
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
