import { useState, type DragEvent } from 'react';
import { Link as RouterLink } from 'react-router';
import {
  Alert,
  Box,
  Button,
  Card,
  CardActions,
  CardContent,
  CardMedia,
  Chip,
  Grid,
  LinearProgress,
  Link,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import UploadIcon from '@mui/icons-material/Upload';
import { useApi } from '../../app/services';
import { useLoad } from '../../lib/useLoad';
import { ErrorAlert, Loading } from '../../components/States';
import type { BrandAsset, BrandAssetKind } from '../../api/types';

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
const CLIP_TYPES = ['video/mp4', 'video/quicktime', 'video/webm'];
const MAX_BYTES = 8 * 1024 * 1024;
const KINDS: { value: BrandAssetKind; label: string }[] = [
  { value: 'product', label: 'Product shot' },
  { value: 'lifestyle', label: 'Lifestyle photo' },
  { value: 'logo', label: 'Logo' },
  { value: 'clip', label: 'Short clip' },
];

type QueueItem = { name: string; state: 'waiting' | 'uploading' | 'done' | 'failed'; message?: string };

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A problem the browser can see before sending (the server checks everything again). */
export function precheck(file: File, kind: BrandAssetKind): string | null {
  const types = kind === 'clip' ? CLIP_TYPES : IMAGE_TYPES;
  if (!types.includes(file.type)) return kind === 'clip' ? 'not an MP4, MOV or WebM clip' : 'not a PNG, JPEG, WebP or GIF image';
  if (file.size > MAX_BYTES) return 'larger than 8 MB';
  return null;
}

function AssetCard({ brandId, asset, onChanged, onDeleted }: { brandId: string; asset: BrandAsset; onChanged: (a: BrandAsset) => void; onDeleted: () => void }) {
  const api = useApi();
  const [tags, setTags] = useState(asset.tags.join(', '));
  const [until, setUntil] = useState(asset.licensed_until ?? '');
  const [error, setError] = useState<unknown>(null);
  const expired = asset.rights === 'licensed' && !!asset.licensed_until && asset.licensed_until < today();
  const save = async () => {
    setError(null);
    try {
      onChanged(
        await api.updateBrandAsset(brandId, asset.id, {
          tags: tags.split(',').map((t) => t.trim()).filter(Boolean),
          rights: until ? 'licensed' : 'owned',
          licensed_until: until || null,
        }),
      );
    } catch (e) {
      setError(e);
    }
  };
  const remove = async () => {
    setError(null);
    try {
      await api.deleteBrandAsset(brandId, asset.id);
      onDeleted();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Card variant="outlined" data-testid="brand-asset">
      {asset.thumbnail_url && (
        <CardMedia component="img" image={asset.thumbnail_url} alt={asset.caption || `${asset.kind} ${asset.id}`} sx={{ height: 140, objectFit: 'contain', bgcolor: 'grey.100' }} />
      )}
      <CardContent>
        <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 0.5, mb: 1 }}>
          <Chip size="small" label={asset.kind} />
          {asset.variants.map((v) => (
            <Chip key={v} size="small" variant="outlined" label={v} />
          ))}
          {expired ? <Chip size="small" color="error" label="licence expired: not used" /> : <Chip size="small" color="success" variant="outlined" label={asset.rights === 'owned' ? 'owned' : `licensed to ${asset.licensed_until}`} />}
        </Stack>
        {asset.near_duplicates.length > 0 && (
          <Typography variant="body2" color="warning.main">
            Looks like {asset.near_duplicates.length === 1 ? 'another picture' : `${asset.near_duplicates.length} other pictures`} in this library
          </Typography>
        )}
        {asset.notes.map((n) => (
          <Typography key={n} variant="caption" color="text.secondary" component="p">
            {n}
          </Typography>
        ))}
        <TextField label="Tags" size="small" fullWidth margin="dense" value={tags} onChange={(e) => setTags(e.target.value)} helperText="Comma-separated; matched with the ad's message" />
        <TextField label="Licensed until" type="date" size="small" fullWidth margin="dense" value={until} onChange={(e) => setUntil(e.target.value)} slotProps={{ inputLabel: { shrink: true } }} helperText="Empty: the brand owns it" />
        <ErrorAlert error={error} title="Could not change the picture" />
      </CardContent>
      <CardActions>
        <Button size="small" onClick={save}>
          Save
        </Button>
        <Button size="small" color="error" onClick={remove}>
          Delete
        </Button>
        <Link component={RouterLink} to={`/gallery?brand_asset_id=${encodeURIComponent(asset.id)}`} variant="body2" sx={{ ml: 'auto' }}>
          Creatives made from it
        </Link>
      </CardActions>
    </Card>
  );
}

export function AssetLibrary({ brandId }: { brandId: string }) {
  const api = useApi();
  const assets = useLoad(() => api.listBrandAssets(brandId), [api, brandId]);
  const [kind, setKind] = useState<BrandAssetKind>('product');
  const [tags, setTags] = useState('');
  const [until, setUntil] = useState('');
  const [queue, setQueue] = useState<QueueItem[]>([]);
  const [dragging, setDragging] = useState(false);

  const setItem = (i: number, item: QueueItem) => setQueue((q) => q.map((x, j) => (j === i ? item : x)));
  const add = (a: BrandAsset) => assets.setData((page) => (page ? { ...page, items: [...page.items, a] } : { items: [a], next_cursor: null }));

  const uploadAll = async (files: File[]) => {
    if (!files.length) return;
    const start = queue.length;
    setQueue((q) => [...q, ...files.map((f) => ({ name: f.name, state: 'waiting' as const }))]);
    // One after the other: the function instance decodes one picture at a time within its budget.
    for (const [k, file] of files.entries()) {
      const i = start + k;
      const problem = precheck(file, kind);
      if (problem) {
        setItem(i, { name: file.name, state: 'failed', message: problem });
        continue;
      }
      setItem(i, { name: file.name, state: 'uploading' });
      try {
        const asset = await api.uploadBrandAsset(brandId, file, {
          kind,
          filename: file.name,
          ...(tags.trim() ? { tags } : {}),
          ...(until ? { licensed_until: until } : {}),
        });
        add(asset);
        setItem(i, { name: file.name, state: 'done' });
      } catch (e) {
        const detail = (e as { details?: { field: string; problem: string }[] }).details?.[0];
        setItem(i, { name: file.name, state: 'failed', message: detail ? `${detail.field}: ${detail.problem}` : (e as Error).message });
      }
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void uploadAll(Array.from(e.dataTransfer.files));
  };
  const finished = queue.filter((q) => q.state === 'done' || q.state === 'failed').length;

  return (
    <Box>
      <Typography component="h2" variant="h6" gutterBottom>
        Brand pictures
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        Product shots, lifestyle photos, logos (light and dark) and short clips. Images and videos for this brand are made from them.
      </Typography>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mb: 2 }}>
        <TextField select label="Kind" size="small" value={kind} onChange={(e) => setKind(e.target.value as BrandAssetKind)} sx={{ minWidth: 180 }}>
          {KINDS.map((k) => (
            <MenuItem key={k.value} value={k.value}>
              {k.label}
            </MenuItem>
          ))}
        </TextField>
        <TextField label="Tags for these files" size="small" value={tags} onChange={(e) => setTags(e.target.value)} placeholder="mug, coffee" />
        <TextField label="Licensed until" type="date" size="small" value={until} onChange={(e) => setUntil(e.target.value)} slotProps={{ inputLabel: { shrink: true } }} />
      </Stack>
      <Box
        role="region"
        aria-label="Drop pictures here"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        sx={{ border: 2, borderStyle: 'dashed', borderColor: dragging ? 'primary.main' : 'divider', borderRadius: 3, p: 3, textAlign: 'center', mb: 2 }}
      >
        <Typography sx={{ mb: 1 }}>Drop files here, or</Typography>
        <Button component="label" variant="outlined" startIcon={<UploadIcon />}>
          Choose files
          <input
            hidden
            multiple
            type="file"
            aria-label="Brand picture files"
            accept={[...IMAGE_TYPES, ...CLIP_TYPES].join(',')}
            onChange={(e) => {
              const files = Array.from(e.target.files ?? []);
              e.target.value = '';
              void uploadAll(files);
            }}
          />
        </Button>
      </Box>
      {queue.length > 0 && (
        <Box sx={{ mb: 2 }} aria-label="Uploads">
          <LinearProgress variant="determinate" value={(100 * finished) / queue.length} aria-label="Upload progress" />
          <Typography variant="caption" role="status">
            {finished} of {queue.length} files handled
          </Typography>
          {queue.map((q, i) => (
            <Typography key={`${q.name}-${i}`} variant="body2" color={q.state === 'failed' ? 'error' : 'text.primary'}>
              {q.name}: {q.state}
              {q.message ? ` (${q.message})` : ''}
            </Typography>
          ))}
        </Box>
      )}
      {assets.loading && <Loading label="Loading brand pictures" />}
      <ErrorAlert error={assets.error} onRetry={assets.reload} title="Cannot load the brand pictures" />
      {assets.data && assets.data.items.length === 0 && <Alert severity="info">No pictures yet: images will use generated backgrounds.</Alert>}
      <Grid container spacing={2}>
        {(assets.data?.items ?? []).map((a) => (
          <Grid key={a.id} size={{ xs: 12, sm: 6, md: 4 }}>
            <AssetCard
              brandId={brandId}
              asset={a}
              onChanged={(changed) => assets.setData((p) => (p ? { ...p, items: p.items.map((x) => (x.id === changed.id ? changed : x)) } : p))}
              onDeleted={() => assets.setData((p) => (p ? { ...p, items: p.items.filter((x) => x.id !== a.id) } : p))}
            />
          </Grid>
        ))}
      </Grid>
    </Box>
  );
}
