import { useState, type FormEvent } from 'react';
import {
  Box,
  Button,
  Checkbox,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  Grid,
  MenuItem,
  Stack,
  TextField,
} from '@mui/material';
import { OBJECTIVES, PLATFORMS, PLATFORM_LABELS, type Brand, type CampaignInput, type Platform } from '../../api/types';
import { ListInput } from '../../components/ListInput';
import { fieldProblems } from '../../components/States';

const LANG_RE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

export function emptyCampaign(brandId = ''): CampaignInput {
  return {
    brand_id: brandId,
    name: '',
    objective: 'traffic',
    offer: '',
    product_facts: [],
    landing_url: '',
    audiences: [],
    platforms: [],
    languages: ['en'],
  };
}

export function validateCampaign(c: CampaignInput): Record<string, string> {
  const e: Record<string, string> = {};
  if (!c.brand_id) e.brand_id = 'Choose a brand';
  if (!c.name.trim()) e.name = 'Name the campaign';
  if (!OBJECTIVES.includes(c.objective)) e.objective = 'Choose an objective';
  if (!c.offer.trim()) e.offer = 'Describe the product or offer';
  if (c.landing_url?.trim()) {
    try {
      const u = new URL(c.landing_url.trim());
      if (u.protocol !== 'https:' && u.protocol !== 'http:') e.landing_url = 'Use an http(s) URL';
    } catch {
      e.landing_url = 'Enter a full URL, e.g. https://example.com/offer';
    }
  }
  if (c.platforms.length === 0) e.platforms = 'Pick at least one platform';
  if (c.languages.length === 0) e.languages = 'Add at least one language';
  else if (c.languages.some((l) => !LANG_RE.test(l))) e.languages = 'Use language codes like en, de, pt-BR';
  return e;
}

export function CampaignForm({
  initial,
  brands,
  onSubmit,
  submitLabel = 'Save campaign',
  serverError,
  brandLocked = false,
}: {
  brandLocked?: boolean;
  initial: CampaignInput;
  brands: Pick<Brand, 'id' | 'name'>[];
  onSubmit: (c: CampaignInput) => Promise<void>;
  submitLabel?: string;
  serverError?: unknown;
}) {
  const [c, setC] = useState<CampaignInput>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const server = fieldProblems(serverError);
  const err = (k: string) => errors[k] ?? server[k];
  const set = <K extends keyof CampaignInput>(k: K, v: CampaignInput[K]) => setC((p) => ({ ...p, [k]: v }));
  const togglePlatform = (p: Platform) =>
    set('platforms', c.platforms.includes(p) ? c.platforms.filter((x) => x !== p) : [...c.platforms, p]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // Only the campaign's own keys: the API's models are strict (unknown keys are refused).
    const payload: CampaignInput = {
      brand_id: c.brand_id,
      name: c.name.trim(),
      objective: c.objective,
      offer: c.offer.trim(),
      product_facts: c.product_facts,
      audiences: c.audiences,
      platforms: PLATFORMS.filter((p) => c.platforms.includes(p)),
      languages: c.languages,
    };
    if (c.landing_url?.trim()) payload.landing_url = c.landing_url.trim();
    const errs = validateCampaign(payload);
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      await onSubmit(payload);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box component="form" noValidate onSubmit={submit} aria-label="Campaign">
      <Grid container spacing={3}>
        <Grid size={{ xs: 12, md: 6 }}>
          <Stack spacing={2}>
            <TextField
              select
              label="Brand"
              value={c.brand_id}
              onChange={(e) => set('brand_id', e.target.value)}
              required
              disabled={brandLocked}
              error={!!err('brand_id')}
              helperText={err('brand_id') ?? (brands.length === 0 ? 'Create a brand kit first' : brandLocked ? 'Creatives belong to the brand: it cannot change' : undefined)}
            >
              {brands.map((b) => (
                <MenuItem key={b.id} value={b.id}>
                  {b.name}
                </MenuItem>
              ))}
            </TextField>
            <TextField label="Campaign name" value={c.name} onChange={(e) => set('name', e.target.value)} required error={!!err('name')} helperText={err('name')} />
            <TextField
              select
              label="Objective"
              value={c.objective}
              onChange={(e) => set('objective', e.target.value as CampaignInput['objective'])}
              error={!!err('objective')}
              helperText={err('objective')}
            >
              {OBJECTIVES.map((o) => (
                <MenuItem key={o} value={o}>
                  {o.replace('_', ' ')}
                </MenuItem>
              ))}
            </TextField>
            <TextField label="Offer" required value={c.offer} onChange={(e) => set('offer', e.target.value)} multiline minRows={2} error={!!err('offer')} helperText={err('offer') ?? 'e.g. 20% off the first month'} />
            <TextField
              label="Landing page URL"
              type="url"
              value={c.landing_url ?? ''}
              onChange={(e) => set('landing_url', e.target.value)}
              error={!!err('landing_url')}
              helperText={err('landing_url')}
            />
          </Stack>
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <Stack spacing={2}>
            <FormControl error={!!err('platforms')} component="fieldset">
              <FormLabel component="legend">Platforms</FormLabel>
              <FormGroup row>
                {PLATFORMS.map((p) => (
                  <FormControlLabel key={p} control={<Checkbox checked={c.platforms.includes(p)} onChange={() => togglePlatform(p)} />} label={PLATFORM_LABELS[p]} />
                ))}
              </FormGroup>
              {err('platforms') && <FormHelperText>{err('platforms')}</FormHelperText>}
            </FormControl>
            <ListInput label="Product facts" values={c.product_facts} onChange={(v) => set('product_facts', v)} error={err('product_facts')} helperText="Claims the copy may use (the generator will not invent others)" />
            <ListInput label="Audiences" values={c.audiences} onChange={(v) => set('audiences', v)} error={err('audiences')} />
            <ListInput
              label="Languages"
              values={c.languages}
              onChange={(v) => set('languages', v)}
              error={err('languages')}
              validate={(v) => (LANG_RE.test(v) ? null : 'Use a code like en, de or pt-BR')}
            />
          </Stack>
        </Grid>
      </Grid>
      <Button type="submit" variant="contained" disabled={busy} sx={{ mt: 3 }}>
        {busy ? 'Saving…' : submitLabel}
      </Button>
    </Box>
  );
}
