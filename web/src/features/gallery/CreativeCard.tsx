import { useEffect, useState } from 'react';
import { Box, Button, Card, CardActions, CardContent, Checkbox, Chip, FormControlLabel, Stack, Typography } from '@mui/material';
import type { Creative } from '../../api/types';
import { useApi } from '../../app/services';
import { AssetView } from './AssetView';
import { textFields } from '../../lib/copyFields';

const STATUS_COLOR = { draft: 'default', approved: 'success', rejected: 'error', archived: 'default' } as const;

export function creativeTitle(c: Creative): string {
  const f = (c.fields ?? {}) as Record<string, unknown>;
  const h = f.headlines ?? f.headline;
  const first = Array.isArray(h) ? h.find((x) => typeof x === 'string') : typeof h === 'string' ? h : undefined;
  return (first as string | undefined) ?? `${c.kind} ${c.ratio ?? ''}`.trim();
}

export interface CreativeActions {
  approve: (c: Creative) => void;
  reject: (c: Creative) => void;
  regenerate: (c: Creative) => void;
  moreLikeThis: (c: Creative) => void;
}

export function CreativeCard({ creative: c, actions, busy, score, picked, onPick }: {
  creative: Creative;
  actions: CreativeActions;
  busy?: boolean;
  score?: number;
  /** Picked as an experiment arm (the gallery's "compare" selection). */
  picked?: boolean;
  onPick?: (c: Creative, picked: boolean) => void;
}) {
  const api = useApi();
  const [assets, setAssets] = useState(c.assets);
  const [loadingAssets, setLoadingAssets] = useState(false);
  const title = creativeTitle(c);
  const [assetsFailed, setAssetsFailed] = useState(false);
  const loadAssets = async () => {
    setLoadingAssets(true);
    setAssetsFailed(false);
    try {
      setAssets((await api.getCreative(c.id)).assets ?? []);
    } catch {
      setAssetsFailed(true);
    } finally {
      setLoadingAssets(false);
    }
  };
  // Lists carry no assets (only GET /v1/creatives/{id} does): fetch them for media creatives.
  useEffect(() => {
    if (c.kind !== 'copy' && !c.assets) void loadAssets();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [c.id]);
  return (
    <Card component="article" aria-label={`${c.kind} creative: ${title}`} data-testid="creative-card" data-status={c.status} data-creative-id={c.id}>
      <CardContent>
        <Stack direction="row" spacing={1} sx={{ mb: 1, flexWrap: 'wrap', gap: 0.5 }}>
          <Chip size="small" label={c.status} color={STATUS_COLOR[c.status] ?? 'default'} data-testid="creative-status" />
          <Chip size="small" variant="outlined" label={c.kind} />
          {c.platform && <Chip size="small" variant="outlined" label={c.platform} />}
          {c.ratio && <Chip size="small" variant="outlined" label={c.ratio} />}
          {c.engine && <Chip size="small" variant="outlined" label={c.engine} />}
          {score !== undefined && <Chip size="small" variant="outlined" label={`match ${score.toFixed(2)}`} />}
        </Stack>
        {c.kind === 'copy' ? (
          <Box>
            {textFields(c.fields).slice(0, 3).map(([k, v]) => (
              <Typography key={k} variant="body2" sx={{ mb: 0.5 }}>
                <strong>{k.replace(/_/g, ' ')}:</strong> {v.slice(0, 3).join(' · ')}
              </Typography>
            ))}
          </Box>
        ) : assets && assets.length > 0 ? (
          <Stack spacing={1}>
            {assets.map((a) => (
              <AssetView key={`${a.ratio}-${a.url}`} asset={a} label={`${title} (${a.ratio})`} />
            ))}
          </Stack>
        ) : (
          <Button onClick={loadAssets} disabled={loadingAssets}>
            {loadingAssets ? 'Loading preview…' : assetsFailed ? 'Preview failed: retry' : assets ? 'No media yet: reload' : 'Show preview'}
          </Button>
        )}
        {c.review_comment && (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
            Comment: {c.review_comment}
          </Typography>
        )}
      </CardContent>
      <CardActions sx={{ flexWrap: 'wrap', gap: 0.5 }}>
        <Button size="small" variant="contained" color="success" disabled={busy || c.status === 'approved'} onClick={() => actions.approve(c)}>
          Approve
        </Button>
        <Button size="small" color="error" disabled={busy || c.status === 'rejected'} onClick={() => actions.reject(c)}>
          Reject
        </Button>
        <Button size="small" disabled={busy} onClick={() => actions.regenerate(c)}>
          Regenerate
        </Button>
        <Button size="small" disabled={busy} onClick={() => actions.moreLikeThis(c)}>
          More like this
        </Button>
        {onPick && (
          <FormControlLabel
            control={<Checkbox size="small" checked={!!picked} onChange={(e) => onPick(c, e.target.checked)} />}
            label="Compare"
            slotProps={{ typography: { variant: 'body2' } }}
          />
        )}
      </CardActions>
    </Card>
  );
}
