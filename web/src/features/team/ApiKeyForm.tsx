import { useState, type FormEvent } from 'react';
import { Button, Checkbox, FormControl, FormControlLabel, FormGroup, FormHelperText, FormLabel, Stack, TextField } from '@mui/material';
import { API_KEY_SCOPES, type ApiKeyScope } from '../../api/types';

export function ApiKeyForm({ onSubmit }: { onSubmit: (b: { name: string; scopes: ApiKeyScope[] }) => Promise<boolean> }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['read']);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!name.trim()) errs.name = 'Name the key (e.g. the integration using it)';
    if (scopes.length === 0) errs.scopes = 'Pick at least one scope';
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      if (await onSubmit({ name: name.trim(), scopes: API_KEY_SCOPES.filter((s) => scopes.includes(s)) })) setName('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack component="form" spacing={1} onSubmit={submit} noValidate aria-label="Create an API key">
      <TextField label="Key name" value={name} onChange={(e) => setName(e.target.value)} size="small" error={!!errors.name} helperText={errors.name} sx={{ maxWidth: 360 }} />
      <FormControl component="fieldset" error={!!errors.scopes}>
        <FormLabel component="legend">Scopes</FormLabel>
        <FormGroup row>
          {API_KEY_SCOPES.map((s) => (
            <FormControlLabel
              key={s}
              label={s}
              control={<Checkbox checked={scopes.includes(s)} onChange={() => setScopes((p) => (p.includes(s) ? p.filter((x) => x !== s) : [...p, s]))} />}
            />
          ))}
        </FormGroup>
        {errors.scopes && <FormHelperText>{errors.scopes}</FormHelperText>}
      </FormControl>
      <Button type="submit" variant="contained" disabled={busy} sx={{ alignSelf: 'flex-start' }}>
        {busy ? 'Creating…' : 'Create key'}
      </Button>
    </Stack>
  );
}
