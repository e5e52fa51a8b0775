// The learning loop of one campaign: its mode and daily cap, the suggestions to replace losing or
// fatigued creatives (one click starts the regenerate job), and the recent replacements (the
// loop's own ones with Undo). Candidates follow Firestore live when the app provides a subscriber.
// A creative is named as people know it (its headline and ratio): ids of one job's creatives
// share their first characters, so an id prefix does not tell them apart.
import { useCallback, useEffect, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Link,
  List,
  ListItem,
  ListItemText,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { hasRole, useApi, useServices, useSession } from '../../app/services';
import { useLoad } from '../../lib/useLoad';
import { creativeTitle } from '../gallery/CreativeCard';
import { ErrorAlert } from '../../components/States';
import type { Campaign, LoopCandidate, LoopMode, LoopSettings } from '../../api/types';

const MODES: { value: LoopMode; label: string; help: string }[] = [
  { value: 'off', label: 'Off', help: 'Nothing happens when a creative loses or tires.' },
  {
    value: 'suggest',
    label: 'Suggest',
    help: 'Losing or fatigued creatives are listed here; you start each replacement.',
  },
  {
    value: 'auto',
    label: 'Automatic',
    help: 'A replacement job starts by itself, within the daily cap and your quota; each one can be undone.',
  },
];

const REASONS: Record<LoopCandidate['reason'], string> = {
  experiment_loser: 'Lost an experiment',
  fatigue: 'Fatigued (CTR falling)',
};
const HELD: Record<string, string> = {
  daily_cap: 'the daily cap of automatic jobs was reached',
  quota: 'the generation quota was short',
  not_replaceable: 'the creative could not be replaced',
};

/** The candidate's creative by its first headline and ratio (the id until it has loaded, or
 * when it cannot be read). */
export function CreativeName({ id }: { id: string }) {
  const api = useApi();
  const c = useLoad(async () => api.getCreative(id), [api, id]);
  if (!c.data) return <>Creative {id.slice(0, 8)}…</>;
  const ratio = c.data.kind !== 'copy' && c.data.ratio ? ` (${c.data.ratio})` : '';
  return <>“{creativeTitle(c.data)}”{ratio}</>;
}

export function LoopPanel({
  campaign,
  etag,
  onSaved,
}: {
  campaign: Campaign;
  etag: string | null;
  onSaved: (r: { campaign: Campaign; etag: string | null }) => void;
}) {
  const { api, loop } = useServices();
  const { me } = useSession();
  const canEdit = hasRole(me?.role, 'editor');
  const current: LoopSettings = campaign.loop ?? { mode: 'off', daily_cap: 3 };
  const [mode, setMode] = useState<LoopMode>(current.mode);
  const [cap, setCap] = useState(String(current.daily_cap));
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [items, setItems] = useState<LoopCandidate[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const page = await api.listLoopCandidates(campaign.id, { limit: 100 });
      setItems(page.items);
    } catch (e) {
      setError(e);
    }
  }, [api, campaign.id]);

  const tenantId = me?.tenant_id;
  const { id: campaignId, brand_id: brandId } = campaign;
  useEffect(() => {
    if (loop && tenantId) {
      return loop.candidates(tenantId, { id: campaignId, brand_id: brandId }, setItems, setError);
    }
    void reload();
    return undefined;
  }, [loop, tenantId, campaignId, brandId, reload]);

  const capNumber = Number(cap);
  const capValid = Number.isInteger(capNumber) && capNumber >= 0 && capNumber <= 50;
  const save = async () => {
    setError(null);
    setSaved(false);
    try {
      onSaved(await api.updateCampaign(campaign.id, { loop: { mode, daily_cap: capNumber } }, etag));
      setSaved(true);
    } catch (e) {
      setError(e);
    }
  };
  const act = async (id: string, what: 'regenerate' | 'dismiss' | 'undo') => {
    setError(null);
    setBusy(`${what}:${id}`);
    try {
      const call =
        what === 'regenerate' ? api.regenerateCandidate : what === 'dismiss' ? api.dismissCandidate : api.undoCandidate;
      const updated = await call(campaign.id, id);
      setItems((xs) => (xs ?? []).map((x) => (x.id === updated.id ? updated : x)));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const newestFirst = (xs: LoopCandidate[]) => [...xs].sort((a, b) => String(b.updated_at).localeCompare(String(a.updated_at)));
  const suggestions = newestFirst((items ?? []).filter((x) => x.status === 'suggested'));
  // replacements the loop started and the ones a person started from a suggestion: after a
  // click the suggestion moves here, with its job, instead of vanishing
  const replacements = newestFirst((items ?? []).filter((x) => x.status === 'started' || x.status === 'undone')).slice(0, 20);
  const help = MODES.find((m) => m.value === mode)?.help;

  return (
    <Card data-testid="loop-panel" sx={{ mt: 2 }}>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Learning loop
        </Typography>
        <ErrorAlert error={error} title="The learning loop could not do that" />
        {saved && (
          <Alert severity="success" role="status" sx={{ mb: 2 }}>
            Loop settings saved
          </Alert>
        )}
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
          <TextField
            select
            label="Mode"
            value={mode}
            onChange={(e) => setMode(e.target.value as LoopMode)}
            disabled={!canEdit}
            sx={{ minWidth: 180 }}
          >
            {MODES.map((m) => (
              <MenuItem key={m.value} value={m.value}>
                {m.label}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label="Automatic jobs per day"
            type="number"
            value={cap}
            onChange={(e) => setCap(e.target.value)}
            disabled={!canEdit || mode !== 'auto'}
            error={!capValid}
            helperText={capValid ? 'at most, per day (UTC)' : 'a whole number from 0 to 50'}
            slotProps={{ htmlInput: { min: 0, max: 50 } }}
          />
          {canEdit && (
            <Button variant="contained" onClick={save} disabled={!capValid}>
              Save loop settings
            </Button>
          )}
        </Stack>
        {help && (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
            {help}
          </Typography>
        )}

        <Typography variant="subtitle1" sx={{ mt: 3 }}>
          Suggestions
        </Typography>
        {items === null ? (
          <Typography color="text.secondary">Loading…</Typography>
        ) : suggestions.length === 0 ? (
          <Typography color="text.secondary" data-testid="no-suggestions">
            No creative to replace right now.
          </Typography>
        ) : (
          <List dense data-testid="suggestions">
            {suggestions.map((s) => (
              <ListItem
                key={s.id}
                data-testid={`suggestion-${s.id}`}
                secondaryAction={
                  canEdit && (
                    <Box>
                      <Button size="small" variant="contained" disabled={busy !== null} onClick={() => act(s.id, 'regenerate')}>
                        Regenerate
                      </Button>
                      <Button size="small" disabled={busy !== null} onClick={() => act(s.id, 'dismiss')} sx={{ ml: 1 }}>
                        Dismiss
                      </Button>
                    </Box>
                  )
                }
              >
                <ListItemText
                  primary={
                    <>
                      <Chip size="small" label={REASONS[s.reason]} sx={{ mr: 1 }} />
                      <CreativeName id={s.creative_id} />
                    </>
                  }
                  secondary={
                    <>
                      {s.summary}
                      {s.held_back && ` (not started automatically: ${HELD[s.held_back] ?? s.held_back})`}
                    </>
                  }
                  sx={{ pr: 22 }}
                />
              </ListItem>
            ))}
          </List>
        )}

        <Typography variant="subtitle1" sx={{ mt: 3 }}>
          Recent replacements
        </Typography>
        {replacements.length === 0 ? (
          <Typography color="text.secondary" data-testid="no-replacements">
            None yet.
          </Typography>
        ) : (
          <List dense data-testid="replacements">
            {replacements.map((a) => (
              <ListItem
                key={a.id}
                data-testid={`replacement-${a.id}`}
                secondaryAction={
                  a.status === 'undone' ? (
                    <Chip size="small" label="Undone" />
                  ) : (
                    canEdit &&
                    a.automatic && (
                      <Button size="small" disabled={busy !== null} onClick={() => act(a.id, 'undo')}>
                        Undo
                      </Button>
                    )
                  )
                }
              >
                <ListItemText
                  primary={
                    <>
                      <Chip size="small" label={REASONS[a.reason]} sx={{ mr: 1 }} />
                      <CreativeName id={a.creative_id} />: replacement job{' '}
                      <Link component={RouterLink} to={`/jobs/${a.job_id}`}>started</Link>{' '}
                      {a.automatic ? 'by the loop' : 'from a suggestion'}; the old creative was set aside
                    </>
                  }
                  secondary={a.summary}
                  sx={{ pr: 12 }}
                />
              </ListItem>
            ))}
          </List>
        )}
      </CardContent>
    </Card>
  );
}
