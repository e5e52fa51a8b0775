import { useState, type FormEvent } from 'react';
import { Alert, Button, Stack, TextField } from '@mui/material';

export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface AuthFormProps {
  mode: 'signin' | 'signup';
  onSubmit: (email: string, password: string) => Promise<void>;
  errorMessage?: (e: unknown) => string;
}

export function validateAuth(mode: AuthFormProps['mode'], email: string, password: string, confirm: string) {
  const errors: Record<string, string> = {};
  if (!EMAIL_RE.test(email.trim())) errors.email = 'Enter a valid email address';
  if (!password) errors.password = 'Enter your password';
  else if (mode === 'signup' && password.length < 8) errors.password = 'Use at least 8 characters';
  if (mode === 'signup' && confirm !== password) errors.confirm = 'Passwords do not match';
  return errors;
}

export function AuthForm({ mode, onSubmit, errorMessage }: AuthFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs = validateAuth(mode, email, password, confirm);
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    setFailure(null);
    try {
      await onSubmit(email.trim(), password);
    } catch (err) {
      setFailure(errorMessage ? errorMessage(err) : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack component="form" noValidate spacing={2} onSubmit={submit} aria-label={mode === 'signin' ? 'Sign in' : 'Sign up'}>
      {failure && (
        <Alert severity="error" role="alert">
          {failure}
        </Alert>
      )}
      <TextField
        label="Email"
        type="email"
        autoComplete="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={!!errors.email}
        helperText={errors.email}
        required
      />
      <TextField
        label="Password"
        type="password"
        autoComplete={mode === 'signin' ? 'current-password' : 'new-password'}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={!!errors.password}
        helperText={errors.password ?? (mode === 'signup' ? 'At least 8 characters' : undefined)}
        required
      />
      {mode === 'signup' && (
        <TextField
          label="Confirm password"
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={!!errors.confirm}
          helperText={errors.confirm}
          required
        />
      )}
      <Button type="submit" variant="contained" size="large" disabled={busy}>
        {busy ? 'Please wait…' : mode === 'signin' ? 'Sign in' : 'Create account'}
      </Button>
    </Stack>
  );
}
