import { useState, type FormEvent } from 'react';
import { Button, MenuItem, Stack, TextField } from '@mui/material';
import type { Role } from '../../api/types';
import { EMAIL_RE } from '../auth/AuthForm';
import { fieldProblems } from '../../components/States';

export function InviteForm({ onSubmit, serverError }: { onSubmit: (b: { email: string; role: Role }) => Promise<boolean>; serverError?: unknown }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const server = fieldProblems(serverError);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!EMAIL_RE.test(email.trim())) return setError('Enter a valid email address');
    setError(null);
    setBusy(true);
    try {
      if (await onSubmit({ email: email.trim().toLowerCase(), role })) setEmail('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack component="form" direction={{ xs: 'column', sm: 'row' }} spacing={1} onSubmit={submit} noValidate aria-label="Invite a member" sx={{ alignItems: 'flex-start' }}>
      <TextField label="Email to invite" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={!!(error ?? server.email)} helperText={error ?? server.email} size="small" sx={{ minWidth: 260 }} />
      <TextField select label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} size="small" sx={{ minWidth: 140 }} error={!!server.role} helperText={server.role}>
        {(['admin', 'editor', 'viewer'] as Role[]).map((r) => (
          <MenuItem key={r} value={r}>
            {r}
          </MenuItem>
        ))}
      </TextField>
      <Button type="submit" variant="contained" disabled={busy}>
        {busy ? 'Inviting…' : 'Invite'}
      </Button>
    </Stack>
  );
}
