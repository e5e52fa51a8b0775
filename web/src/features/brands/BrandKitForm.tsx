import { useState, type FormEvent } from 'react';
import { Box, Button, Grid, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { TONES, type BrandInput, type BrandKit } from '../../api/types';
import { ListInput } from '../../components/ListInput';
import { fieldProblems } from '../../components/States';

export const HEX_RE = /^#[0-9A-Fa-f]{6}$/;
export const EMPTY_KIT: BrandKit = {
  voice: '',
  tone: 'friendly',
  example_ads: [],
  banned_words: [],
  required_phrases: [],
  colors: [],
  fonts: [],
};

export function validateBrand(b: BrandInput): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!b.name.trim()) errors.name = 'Give the brand a name';
  else if (b.name.trim().length > 100) errors.name = 'At most 100 characters';
  if ((b.kit.voice ?? '').length > 2000) errors['kit.voice'] = 'At most 2000 characters';
  if (b.kit.required_phrases.length > 4) errors['kit.required_phrases'] = 'At most 4 required phrases';
  const long = b.kit.required_phrases.find((p) => p.length > 80);
  if (long) errors['kit.required_phrases'] = `"${long.slice(0, 20)}…" is longer than 80 characters`;
  const badColor = b.kit.colors.find((c) => !HEX_RE.test(c));
  if (badColor) errors['kit.colors'] = `${badColor} is not a #RRGGBB colour`;
  const lower = b.kit.banned_words.map((w) => w.toLowerCase());
  const clash = b.kit.required_phrases.find((p) => lower.some((w) => p.toLowerCase().includes(w)));
  if (clash) errors['kit.required_phrases'] = `"${clash}" contains a banned word`;
  return errors;
}

export function BrandKitForm({
  initial,
  onSubmit,
  submitLabel = 'Save brand kit',
  serverError,
}: {
  initial?: BrandInput;
  onSubmit: (b: BrandInput) => Promise<void>;
  submitLabel?: string;
  serverError?: unknown;
}) {
  const [name, setName] = useState(initial?.name ?? '');
  const [kit, setKit] = useState<BrandKit>(() => {
    const k = { ...EMPTY_KIT, ...(initial?.kit ?? {}) };
    return { ...k, voice: k.voice ?? '', tone: k.tone || 'friendly' };
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [colorDraft, setColorDraft] = useState('#4F46A5');
  const server = fieldProblems(serverError);
  const err = (k: string) => errors[k] ?? server[k];
  const set = <K extends keyof BrandKit>(k: K, v: BrandKit[K]) => setKit((p) => ({ ...p, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // Only the kit's own keys: the API's models are strict (unknown keys are refused).
    const payload: BrandInput = {
      name: name.trim(),
      kit: {
        voice: (kit.voice ?? '').trim() || null,
        tone: kit.tone,
        example_ads: kit.example_ads,
        banned_words: kit.banned_words,
        required_phrases: kit.required_phrases,
        colors: kit.colors,
        fonts: kit.fonts,
      },
    };
    const errs = validateBrand(payload);
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
    <Box component="form" noValidate onSubmit={submit} aria-label="Brand kit">
      <Grid container spacing={3}>
        <Grid size={{ xs: 12, md: 6 }}>
          <Stack spacing={2}>
            <TextField
              label="Brand name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              error={!!err('name')}
              helperText={err('name')}
            />
            <TextField
              label="Voice"
              value={kit.voice ?? ''}
              onChange={(e) => set('voice', e.target.value)}
              multiline
              minRows={3}
              error={!!err('kit.voice')}
              helperText={err('kit.voice') ?? 'How the brand speaks, e.g. "friendly expert, plain words"'}
            />
            <TextField
              select
              label="Tone"
              value={kit.tone}
              onChange={(e) => set('tone', e.target.value)}
              error={!!err('kit.tone')}
              helperText={err('kit.tone')}
            >
              {[...TONES, ...(TONES.includes(kit.tone as (typeof TONES)[number]) ? [] : [kit.tone])].map((t) => (
                <MenuItem key={t} value={t}>
                  {t.charAt(0).toUpperCase() + t.slice(1)}
                </MenuItem>
              ))}
            </TextField>
            <ListInput
              label="Example ads"
              values={kit.example_ads}
              onChange={(v) => set('example_ads', v)}
              multiline
              helperText="Ads that sound right. Enter adds one (Shift+Enter for a new line)."
              error={err('kit.example_ads')}
            />
          </Stack>
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <Stack spacing={2}>
            <ListInput
              label="Banned words"
              values={kit.banned_words}
              onChange={(v) => set('banned_words', v)}
              error={err('kit.banned_words')}
            />
            <ListInput
              label="Required phrases"
              values={kit.required_phrases}
              onChange={(v) => set('required_phrases', v)}
              error={err('kit.required_phrases')}
              helperText="Disclaimers or taglines every ad must carry"
            />
            <Box>
              <Typography component="h2" variant="subtitle1" sx={{ mb: 1 }}>
                Colours
              </Typography>
              <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
                <input
                  type="color"
                  aria-label="Pick a colour"
                  value={HEX_RE.test(colorDraft) ? colorDraft : '#000000'}
                  onChange={(e) => setColorDraft(e.target.value.toUpperCase())}
                  style={{ width: 56, height: 56, border: 'none', background: 'none', padding: 0 }}
                />
                <Box sx={{ flexGrow: 1 }}>
                  <ListInput
                    label="Colours (#RRGGBB)"
                    values={kit.colors}
                    onChange={(v) => set('colors', v)}
                    placeholder={colorDraft}
                    validate={(v) => (HEX_RE.test(v) ? null : 'Use the #RRGGBB form, e.g. #1A2B3C')}
                    error={err('kit.colors')}
                  />
                </Box>
              </Stack>
              <Stack direction="row" spacing={1} sx={{ mt: 1 }} aria-hidden="true">
                {kit.colors.filter((c) => HEX_RE.test(c)).map((c) => (
                  <Box key={c} sx={{ width: 32, height: 32, borderRadius: 2, bgcolor: c, border: 1, borderColor: 'divider' }} />
                ))}
              </Stack>
              <Button size="small" sx={{ mt: 1 }} onClick={() => !kit.colors.includes(colorDraft) && set('colors', [...kit.colors, colorDraft])}>
                Add picked colour {colorDraft}
              </Button>
            </Box>
            <ListInput label="Fonts" values={kit.fonts} onChange={(v) => set('fonts', v)} error={err('kit.fonts')} />
          </Stack>
        </Grid>
      </Grid>
      <Stack direction="row" sx={{ mt: 3 }}>
        <Button type="submit" variant="contained" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </Button>
      </Stack>
    </Box>
  );
}
