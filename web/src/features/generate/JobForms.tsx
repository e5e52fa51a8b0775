import { useState, type FormEvent } from 'react';
import { Button, Checkbox, FormControl, FormControlLabel, FormGroup, FormHelperText, FormLabel, MenuItem, Stack, TextField } from '@mui/material';
import { IMAGE_RATIOS, VIDEO_RATIOS, type JobRequest } from '../../api/types';

export function ImageJobForm({ onSubmit }: { onSubmit: (r: JobRequest) => Promise<void> }) {
  const [variants, setVariants] = useState('4');
  const [ratios, setRatios] = useState<string[]>(['1:1']);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(variants);
    const errs: Record<string, string> = {};
    if (!Number.isInteger(n) || n < 1 || n > 12) errs.variants = 'Between 1 and 12';
    if (ratios.length === 0) errs.ratios = 'Pick at least one ratio';
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      await onSubmit({ kind: 'image_set', variants: n, ratios: IMAGE_RATIOS.filter((r) => ratios.includes(r)) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack component="form" spacing={2} onSubmit={submit} noValidate aria-label="Generate images">
      <TextField
        label="Variants"
        type="number"
        value={variants}
        onChange={(e) => setVariants(e.target.value)}
        error={!!errors.variants}
        helperText={errors.variants ?? 'Images per ratio'}
        sx={{ maxWidth: 200 }}
        slotProps={{ htmlInput: { min: 1, max: 12 } }}
      />
      <FormControl component="fieldset" error={!!errors.ratios}>
        <FormLabel component="legend">Ratios</FormLabel>
        <FormGroup row>
          {IMAGE_RATIOS.map((r) => (
            <FormControlLabel
              key={r}
              label={r}
              control={<Checkbox checked={ratios.includes(r)} onChange={() => setRatios((p) => (p.includes(r) ? p.filter((x) => x !== r) : [...p, r]))} />}
            />
          ))}
        </FormGroup>
        {errors.ratios && <FormHelperText>{errors.ratios}</FormHelperText>}
      </FormControl>
      <Button type="submit" variant="contained" disabled={busy} sx={{ alignSelf: 'flex-start' }}>
        {busy ? 'Starting…' : 'Start image set'}
      </Button>
    </Stack>
  );
}

export function VideoJobForm({ onSubmit }: { onSubmit: (r: JobRequest) => Promise<void> }) {
  const [duration, setDuration] = useState(6);
  const [ratio, setRatio] = useState('9:16');
  const [scenes, setScenes] = useState(3);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await onSubmit({ kind: 'video', duration_s: duration, ratio, scenes });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack component="form" spacing={2} onSubmit={submit} noValidate aria-label="Generate a video" sx={{ maxWidth: 360 }}>
      <TextField select label="Duration" value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
        {[6, 10, 15, 30].map((d) => (
          <MenuItem key={d} value={d}>
            {d} seconds
          </MenuItem>
        ))}
      </TextField>
      <TextField select label="Ratio" value={ratio} onChange={(e) => setRatio(e.target.value)}>
        {VIDEO_RATIOS.map((r) => (
          <MenuItem key={r} value={r}>
            {r}
          </MenuItem>
        ))}
      </TextField>
      <TextField select label="Scenes" value={scenes} onChange={(e) => setScenes(Number(e.target.value))}>
        {[1, 2, 3, 4, 5].map((s) => (
          <MenuItem key={s} value={s}>
            {s}
          </MenuItem>
        ))}
      </TextField>
      <Button type="submit" variant="contained" disabled={busy} sx={{ alignSelf: 'flex-start' }}>
        {busy ? 'Starting…' : 'Start video'}
      </Button>
    </Stack>
  );
}
