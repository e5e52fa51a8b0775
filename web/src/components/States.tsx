import { Alert, AlertTitle, Box, Button, CircularProgress, Stack, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

/** Shows an API error: its JSON message and each field problem. */
export function ErrorAlert({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  if (!error) return null;
  const e = error as Error;
  const details = e instanceof ApiError ? e.details : [];
  const code = e instanceof ApiError ? e.code : undefined;
  return (
    <Alert
      severity="error"
      role="alert"
      action={
        onRetry ? (
          <Button color="inherit" size="small" onClick={onRetry}>
            Retry
          </Button>
        ) : undefined
      }
      sx={{ my: 1 }}
    >
      <AlertTitle>{title ?? 'Something went wrong'}</AlertTitle>
      {e.message || String(error)}
      {code && (
        <Typography component="span" variant="caption" sx={{ ml: 1, opacity: 0.8 }}>
          ({code})
        </Typography>
      )}
      {details.length > 0 && (
        <Box component="ul" sx={{ m: 0, mt: 0.5, pl: 2.5 }} aria-label="Field problems">
          {details.map((d, i) => (
            <li key={i}>
              <strong>{d.field}</strong>: {d.problem}
            </li>
          ))}
        </Box>
      )}
    </Alert>
  );
}

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <Stack direction="row" spacing={2} sx={{ py: 4, justifyContent: "center", alignItems: "center" }} role="status">
      <CircularProgress size={24} aria-label={label} />
      <Typography>{label}…</Typography>
    </Stack>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <Box sx={{ textAlign: 'center', py: 6, px: 2, border: 1, borderColor: 'divider', borderRadius: 4, borderStyle: 'dashed' }}>
      <Typography variant="h6" component="p">
        {title}
      </Typography>
      {children && (
        <Typography color="text.secondary" sx={{ mt: 1 }}>
          {children}
        </Typography>
      )}
      {action && <Box sx={{ mt: 2 }}>{action}</Box>}
    </Box>
  );
}

export function PageHeader({ title, actions, subtitle }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <Stack
      direction={{ xs: 'column', sm: 'row' }}
      spacing={2}
      sx={{ mb: 3, justifyContent: 'space-between', alignItems: { xs: 'stretch', sm: 'center' } }}
    >
      <Box>
        <Typography variant="h4" component="h1">
          {title}
        </Typography>
        {subtitle && <Typography color="text.secondary">{subtitle}</Typography>}
      </Box>
      {actions && (
        <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }}>
          {actions}
        </Stack>
      )}
    </Stack>
  );
}

/** Field-level problems from an ApiError, keyed by field name (for helperText). */
export function fieldProblems(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError) for (const d of error.details) out[d.field] = d.problem;
  return out;
}
