import { useEffect, useState, type FormEvent } from 'react';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Grid,
  IconButton,
  InputAdornment,
  Link,
  MenuItem,
  Stack,
  TextField,
  Chip,
} from '@mui/material';
import SearchIcon from '@mui/icons-material/Search';
import ClearIcon from '@mui/icons-material/Clear';
import { useApi } from '../../app/services';
import { useLoad } from '../../lib/useLoad';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../components/States';
import { CREATIVE_STATUSES, PLATFORMS, PLATFORM_LABELS, RATIOS, type Creative, type CreativeFilters } from '../../api/types';
import { CreativeCard, creativeTitle } from './CreativeCard';
import { NewExperimentDialog } from '../experiments/NewExperimentDialog';

const FILTER_KEYS = ['campaign_id', 'platform', 'kind', 'status', 'ratio', 'engine', 'brand_asset_id'] as const;
type Dialog_ = { kind: 'reject' | 'regenerate'; creative: Creative } | null;

export default function GalleryPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const filters: CreativeFilters = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) filters[k] = v;
  }
  const q = params.get('q') ?? '';
  const filterKey = JSON.stringify([filters, q]);
  const campaigns = useLoad(() => api.listCampaigns({ limit: 100 }), [api]);
  const [items, setItems] = useState<{ creative: Creative; score?: number }[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [engines, setEngines] = useState<string[]>([]);
  const [searchDraft, setSearchDraft] = useState(q);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<{ text: string; jobId?: string } | null>(null);
  const [dialog, setDialog] = useState<Dialog_>(null);
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string | null>(null);
  const [reloadTick, setReloadTick] = useState(0);
  const [picked, setPicked] = useState<Creative[]>([]);
  const [experimentOpen, setExperimentOpen] = useState(false);
  const navigate = useNavigate();
  const pick = (c: Creative, on: boolean) => setPicked((prev) => (on ? [...prev.filter((p) => p.id !== c.id), c] : prev.filter((p) => p.id !== c.id)));

  const load = async (after: string | null) => {
    setLoading(true);
    setError(null);
    try {
      if (q) {
        const r = await api.search(q, filters);
        setItems(r.items.map((h) => ({ creative: h.creative, score: h.score })));
        setCursor(null);
      } else {
        const r = await api.listCreatives({ ...filters, limit: 24, cursor: after ?? undefined });
        setItems((prev) => [...(after ? prev : []), ...r.items.map((c) => ({ creative: c }))]);
        setCursor(r.next_cursor);
      }
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, filterKey, reloadTick]);
  useEffect(() => {
    const seen = items.map((i) => i.creative.engine).filter((e): e is string => !!e);
    setEngines((prev) => Array.from(new Set([...prev, ...seen, ...(filters.engine ? [filters.engine] : [])])).sort());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [items]);

  const setParam = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next);
  };
  const submitSearch = (e: FormEvent) => {
    e.preventDefault();
    setParam('q', searchDraft.trim());
  };
  const replace = (c: Creative) => setItems((prev) => prev.map((i) => (i.creative.id === c.id ? { ...i, creative: { ...i.creative, ...c } } : i)));

  const run = async (c: Creative, fn: () => Promise<unknown>, message: string, onOk?: (r: unknown) => void) => {
    setBusyId(c.id);
    setActionError(null);
    setNotice(null);
    try {
      const r = await fn();
      onOk?.(r);
      // regenerate / more-like-this may answer with a job ({id, status}): link to its live progress
      const job = r && typeof r === 'object' && 'status' in r && 'id' in r && !('kind' in r) ? (r as { id: string }).id : undefined;
      setNotice({ text: message, jobId: job });
      return true;
    } catch (e) {
      setActionError(e);
      return false;
    } finally {
      setBusyId(null);
    }
  };
  const statusUpdate = (c: Creative, status: Creative['status'], comment?: string) => (r: unknown) => {
    const got = r as Partial<Creative> | null;
    replace({ ...c, ...(got && typeof got === 'object' && got.id ? got : {}), status: (got?.status as Creative['status']) ?? status, ...(comment ? { review_comment: comment } : {}) });
  };

  const actions = {
    approve: (c: Creative) => void run(c, () => api.approveCreative(c.id), `Approved “${creativeTitle(c)}”`, statusUpdate(c, 'approved')),
    reject: (c: Creative) => {
      setComment('');
      setCommentError(null);
      setDialog({ kind: 'reject', creative: c });
    },
    regenerate: (c: Creative) => {
      setComment('');
      setCommentError(null);
      setDialog({ kind: 'regenerate', creative: c });
    },
    moreLikeThis: (c: Creative) => void run(c, () => api.moreLikeThis(c.id), 'Generating more like this. New creatives will appear here when ready.'),
  };
  const confirmDialog = async () => {
    if (!dialog) return;
    const c = dialog.creative;
    if (dialog.kind === 'reject') {
      if (!comment.trim()) {
        setCommentError('Say why, so the next generation can do better');
        return;
      }
      const ok = await run(c, () => api.rejectCreative(c.id, comment.trim()), 'Rejected', statusUpdate(c, 'rejected', comment.trim()));
      if (ok) setDialog(null);
    } else {
      const ok = await run(c, () => api.regenerateCreative(c.id, comment.trim() || undefined), 'Regenerating. The new version will appear here when ready.');
      if (ok) setDialog(null);
    }
  };

  const select = (k: string, label: string, options: { value: string; label: string }[]) => (
    <TextField select size="small" label={label} value={params.get(k) ?? ''} onChange={(e) => setParam(k, e.target.value)} sx={{ minWidth: 150 }} slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}>
      <MenuItem value="">All</MenuItem>
      {options.map((o) => (
        <MenuItem key={o.value} value={o.value}>
          {o.label}
        </MenuItem>
      ))}
    </TextField>
  );

  return (
    <>
      <PageHeader title="Creative gallery" />
      <Box component="form" role="search" onSubmit={submitSearch} sx={{ mb: 2 }}>
        <TextField
          fullWidth
          label="Search creatives"
          placeholder="e.g. sunny beach family offer"
          value={searchDraft}
          onChange={(e) => setSearchDraft(e.target.value)}
          slotProps={{
            input: {
              endAdornment: (
                <InputAdornment position="end">
                  {q && (
                    <IconButton aria-label="Clear search" onClick={() => { setSearchDraft(''); setParam('q', ''); }}>
                      <ClearIcon />
                    </IconButton>
                  )}
                  <IconButton type="submit" aria-label="Search" edge="end">
                    <SearchIcon />
                  </IconButton>
                </InputAdornment>
              ),
            },
          }}
        />
      </Box>
      <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 1.5, mb: 2 }} role="group" aria-label="Filters">
        {select('campaign_id', 'Campaign', (campaigns.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })))}
        {select('kind', 'Kind', ['copy', 'image', 'video'].map((v) => ({ value: v, label: v })))}
        {select('platform', 'Platform', PLATFORMS.map((p) => ({ value: p, label: PLATFORM_LABELS[p] })))}
        {select('ratio', 'Ratio', RATIOS.map((r) => ({ value: r, label: r })))}
        {select('status', 'Status', CREATIVE_STATUSES.map((s) => ({ value: s, label: s })))}
        {select('engine', 'Engine', engines.map((e) => ({ value: e, label: e })))}
        {filters.brand_asset_id && (
          <Chip
            label={`Made from brand picture ${filters.brand_asset_id}`}
            onDelete={() => setParam('brand_asset_id', '')}
            aria-label="Brand picture filter"
          />
        )}
      </Stack>
      {picked.length > 0 && (
        <Alert
          severity="info"
          sx={{ mb: 2 }}
          action={
            <Stack direction="row" spacing={1}>
              <Button size="small" onClick={() => setPicked([])}>
                Clear
              </Button>
              <Button size="small" variant="contained" disabled={picked.length < 2} onClick={() => setExperimentOpen(true)}>
                Start experiment
              </Button>
            </Stack>
          }
        >
          {picked.length} creative{picked.length === 1 ? '' : 's'} picked to compare{picked.length < 2 ? ': pick at least two' : ''}.
        </Alert>
      )}
      <NewExperimentDialog
        open={experimentOpen}
        creatives={picked}
        titleOf={creativeTitle}
        onClose={() => setExperimentOpen(false)}
        onCreated={(e) => navigate(`/experiments/${e.id}`)}
      />
      {notice && (
        <Alert severity="success" role="status" onClose={() => setNotice(null)} sx={{ mb: 2 }}>
          {notice.text}
          {notice.jobId && (
            <>
              {' '}
              <Link component={RouterLink} to={`/jobs/${notice.jobId}`}>
                Follow its progress
              </Link>
            </>
          )}
        </Alert>
      )}
      <ErrorAlert error={actionError} title="The action failed" />
      <ErrorAlert error={error} onRetry={() => setReloadTick((t) => t + 1)} title="Cannot load creatives" />
      {!loading && !error && items.length === 0 && (
        <EmptyState title={q ? 'No matches' : 'No creatives match these filters'}>
          {q ? 'Try other words or clear the filters.' : 'Generate some from a campaign, or clear the filters.'}
        </EmptyState>
      )}
      <Grid container spacing={2}>
        {items.map(({ creative, score }) => (
          <Grid key={creative.id} size={{ xs: 12, sm: 6, lg: 4 }}>
            <CreativeCard creative={creative} score={score} actions={actions} busy={busyId === creative.id} picked={picked.some((p) => p.id === creative.id)} onPick={pick} />
          </Grid>
        ))}
      </Grid>
      {loading && <Loading label="Loading creatives" />}
      {cursor && !loading && (
        <Box sx={{ textAlign: 'center', mt: 2 }}>
          <Button variant="outlined" onClick={() => void load(cursor)}>
            Load more
          </Button>
        </Box>
      )}
      <Dialog open={!!dialog} onClose={() => setDialog(null)} fullWidth maxWidth="sm" aria-labelledby="gallery-dialog-title">
        <DialogTitle id="gallery-dialog-title">{dialog?.kind === 'reject' ? 'Reject creative' : 'Regenerate creative'}</DialogTitle>
        <DialogContent>
          <TextField
            autoFocus
            fullWidth
            multiline
            minRows={3}
            sx={{ mt: 1 }}
            label={dialog?.kind === 'reject' ? 'Why is it rejected?' : 'What should change? (optional)'}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            error={!!commentError}
            helperText={commentError}
            required={dialog?.kind === 'reject'}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDialog(null)}>Cancel</Button>
          <Button variant="contained" color={dialog?.kind === 'reject' ? 'error' : 'primary'} onClick={confirmDialog} disabled={!!busyId}>
            {dialog?.kind === 'reject' ? 'Reject' : 'Regenerate'}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
