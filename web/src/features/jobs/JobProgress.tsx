import { useEffect, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  LinearProgress,
  Link,
  List,
  ListItem,
  Stack,
  Typography,
} from '@mui/material';
import { useApi, useServices } from '../../app/services';
import { ErrorAlert } from '../../components/States';
import { TERMINAL_JOB_STATUSES, type Job, type JobItem } from '../../api/types';
import type { JobSubscriber } from './live';
import { useReloadOnAccessDenied } from './accessLost';
import { CreativeThumb } from './CreativeThumb';

export const STATUS_COLOR: Record<string, 'default' | 'primary' | 'success' | 'warning' | 'error'> = {
  queued: 'default',
  planning: 'primary',
  running: 'primary',
  assembling: 'primary',
  succeeded: 'success',
  partially_succeeded: 'warning',
  failed: 'error',
  cancelled: 'default',
};
export const human = (s: string) => s.replace(/_/g, ' ');
export const kindLabel = (k: Job['kind']) => (k === 'video' ? 'Video' : k === 'image_set' ? 'Image set' : 'Copy batch');

export function jobPercent(job: Job): number {
  const c = job.counts;
  if (!c || !c.total) return 0;
  return Math.round((100 * ((c.succeeded ?? 0) + (c.failed ?? 0) + (c.cancelled ?? 0))) / c.total);
}
function jobErrorText(e: Job['error']): string | null {
  if (!e) return null;
  return typeof e === 'string' ? e : e.message ?? e.code ?? 'failed';
}

/**
 * Live progress of one job, from Firestore listeners on the job doc and its items (never polls).
 * `subscribe` is injectable (tests feed fake snapshots); it defaults to the app's Firestore one.
 */
export function JobProgress({ tenantId, jobId, subscribe }: { tenantId: string; jobId: string; subscribe?: JobSubscriber }) {
  const services = useServices();
  const sub = subscribe ?? services.jobs;
  const api = useApi();
  const [job, setJob] = useState<Job | null | undefined>(undefined);
  const [items, setItems] = useState<JobItem[]>([]);
  const [listenError, setListenError] = useState<Error | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'cancel' | 'retry' | null>(null);
  const onDenied = useReloadOnAccessDenied();

  useEffect(() => {
    setJob(undefined);
    setItems([]);
    setListenError(null);
    const onError = (e: Error) => {
      setListenError(e);
      onDenied(e);
    };
    const offJob = sub.job(tenantId, jobId, setJob, onError);
    const offItems = sub.items(tenantId, jobId, setItems, onError);
    return () => {
      offJob();
      offItems();
    };
  }, [sub, tenantId, jobId, onDenied]);

  const act = async (kind: 'cancel' | 'retry') => {
    setBusy(kind);
    setActionError(null);
    try {
      await (kind === 'cancel' ? api.cancelJob(jobId) : api.retryJob(jobId));
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(null);
    }
  };

  const terminal = job ? TERMINAL_JOB_STATUSES.includes(job.status) : false;
  const pct = job ? jobPercent(job) : 0;
  const sorted = [...items].sort((a, b) => (a.index ?? 0) - (b.index ?? 0) || a.id.localeCompare(b.id));
  const done = sorted.filter((i) => i.status === 'succeeded');
  const extra = (job?.creative_ids ?? []).filter((cid) => !done.some((i) => i.creative_id === cid));
  const itemLabel = (it: JobItem) => (it.kind === 'scene' ? `Scene ${(it.index ?? 0) + 1}` : it.ratio ?? it.id);
  const failed = sorted.filter((i) => i.status === 'failed');
  const others = sorted.filter((i) => i.status !== 'succeeded' && i.status !== 'failed');
  const canRetry = job && (job.status === 'failed' || job.status === 'partially_succeeded' || job.status === 'cancelled');

  return (
    <Card component="section" aria-label="Job progress" data-testid="job-progress">
      <CardContent>
        <ErrorAlert error={listenError} title="Live updates stopped" />
        {job === undefined && !listenError && (
          <Typography role="status">Connecting to live updates…</Typography>
        )}
        {job === null && <Typography role="status">Waiting for the job to start…</Typography>}
        {job && (
          <>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', gap: 1 }}>
              <Typography variant="h6" component="h3" sx={{ flexGrow: 1 }}>
                {kindLabel(job.kind)}
              </Typography>
              <Chip label={human(job.status)} color={STATUS_COLOR[job.status] ?? 'default'} data-testid="job-status" />
              {!terminal && (
                <Button variant="outlined" color="error" onClick={() => act('cancel')} disabled={busy !== null}>
                  {busy === 'cancel' ? 'Cancelling…' : 'Cancel'}
                </Button>
              )}
              {canRetry && (
                <Button variant="contained" onClick={() => act('retry')} disabled={busy !== null}>
                  {busy === 'retry' ? 'Retrying…' : 'Retry failed'}
                </Button>
              )}
            </Stack>
            <Box sx={{ my: 2 }}>
              <LinearProgress
                variant={job.status === 'queued' || job.status === 'planning' ? 'indeterminate' : 'determinate'}
                value={pct}
                aria-label="Job progress"
                color={job.status === 'failed' ? 'error' : 'primary'}
              />
              <Typography variant="body2" sx={{ mt: 1 }} aria-live="polite" data-testid="job-summary">
                {job.phase ? `${human(job.phase)} · ` : ''}
                {job.counts?.succeeded ?? 0} of {job.counts?.total ?? 0} done
                {job.counts?.failed ? ` · ${job.counts.failed} failed` : ''}
                {job.counts?.cancelled ? ` · ${job.counts.cancelled} cancelled` : ''}
                {!terminal && job.eta_s ? ` · about ${Math.max(1, Math.round(job.eta_s))} s left` : ''}
              </Typography>
            </Box>
            {jobErrorText(job.error) && (
              <Alert severity="error" sx={{ mb: 2 }}>
                {jobErrorText(job.error)}
              </Alert>
            )}
            {(done.length > 0 || extra.length > 0) && (
              <>
                <Typography variant="subtitle2" component="h4">
                  Finished
                </Typography>
                <Box
                  component="ul"
                  aria-label="Finished items"
                  sx={{ listStyle: 'none', p: 0, display: 'grid', gap: 1, gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))' }}
                >
                  {done.map((it) => (
                    <li key={it.id} data-testid="job-item-done">
                      {it.creative_id ? <CreativeThumb creativeId={it.creative_id} ratio={it.ratio} /> : <Typography>{itemLabel(it)} ✓</Typography>}
                    </li>
                  ))}
                  {extra.map((cid) => (
                    <li key={cid} data-testid="job-creative">
                      <CreativeThumb creativeId={cid} />
                    </li>
                  ))}
                </Box>
              </>
            )}
            {failed.length > 0 && (
              <>
                <Typography variant="subtitle2" component="h4">
                  Failed
                </Typography>
                <List dense aria-label="Failed items">
                  {failed.map((it) => (
                    <ListItem key={it.id} data-testid="job-item-failed">
                      <Typography color="error" variant="body2">
                        {it.kind === 'scene' || it.ratio ? `${itemLabel(it)}: ` : ''}
                        {it.error_reason ?? 'failed'}
                      </Typography>
                    </ListItem>
                  ))}
                </List>
              </>
            )}
            {others.length > 0 && (
              <Typography variant="body2" color="text.secondary">
                {others.filter((i) => i.status === 'running').length} running, {others.filter((i) => i.status === 'pending').length} waiting
              </Typography>
            )}
            {terminal && job.campaign_id && (
              <Link component={RouterLink} to={`/gallery?campaign_id=${job.campaign_id}`} sx={{ display: 'inline-block', mt: 1 }}>
                Review these creatives in the gallery
              </Link>
            )}
          </>
        )}
        <ErrorAlert error={actionError} title="The action failed" />
      </CardContent>
    </Card>
  );
}
