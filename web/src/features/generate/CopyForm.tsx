import { useState, type FormEvent } from 'react';
import { Button, Grid, MenuItem, TextField } from '@mui/material';
import { PLATFORM_LABELS, type CampaignInput, type CopyRequest, type Platform } from '../../api/types';

export function CopyForm({ campaign, onSubmit }: { campaign: CampaignInput; onSubmit: (r: CopyRequest) => Promise<void> }) {
  const [platform, setPlatform] = useState<Platform | ''>(campaign.platforms[0] ?? '');
  const [language, setLanguage] = useState(campaign.languages[0] ?? 'en');
  const [audience, setAudience] = useState('');
  const [seed, setSeed] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!platform) return setError('Choose a platform');
    if (seed && !/^\d+$/.test(seed)) return setError('The seed is a whole number');
    setError(null);
    const req: CopyRequest = { platform, language };
    if (audience) req.audience = audience;
    if (seed) req.seed = Number(seed);
    setBusy(true);
    try {
      await onSubmit(req);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Grid component="form" container spacing={2} onSubmit={submit} noValidate aria-label="Generate ad copy" sx={{ alignItems: 'flex-start' }}>
      <Grid size={{ xs: 12, sm: 6, md: 3 }}>
        <TextField select fullWidth label="Platform" value={platform} onChange={(e) => setPlatform(e.target.value as Platform)} error={!!error && !platform} helperText={!platform ? error : undefined}>
          {campaign.platforms.map((p) => (
            <MenuItem key={p} value={p}>
              {PLATFORM_LABELS[p] ?? p}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid size={{ xs: 12, sm: 6, md: 2 }}>
        <TextField select fullWidth label="Language" value={language} onChange={(e) => setLanguage(e.target.value)}>
          {campaign.languages.map((l) => (
            <MenuItem key={l} value={l}>
              {l}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid size={{ xs: 12, sm: 6, md: 3 }}>
        <TextField select fullWidth label="Audience" value={audience} onChange={(e) => setAudience(e.target.value)} slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}>
          <MenuItem value="">Any audience</MenuItem>
          {campaign.audiences.map((a) => (
            <MenuItem key={a} value={a}>
              {a}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid size={{ xs: 12, sm: 6, md: 2 }}>
        <TextField fullWidth label="Seed (optional)" value={seed} onChange={(e) => setSeed(e.target.value)} error={!!error && !!platform} helperText={platform ? error : undefined} slotProps={{ htmlInput: { inputMode: 'numeric' } }} />
      </Grid>
      <Grid size={{ xs: 12, md: 2 }}>
        <Button type="submit" variant="contained" size="large" fullWidth disabled={busy}>
          {busy ? 'Writing…' : 'Generate copy'}
        </Button>
      </Grid>
    </Grid>
  );
}
