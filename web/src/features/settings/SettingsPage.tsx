import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Box, Button, Card, CardContent, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useApi, useSession } from '../../app/services';
import { useLoad } from '../../lib/useLoad';
import { ErrorAlert, Loading, PageHeader, fieldProblems } from '../../components/States';
import { PLANS, type Counters, type Plan, type Tenant, type TenantPatch } from '../../api/types';
import { DeleteWorkspaceDialog } from './DeleteWorkspaceDialog';

export const PLAN_LABELS: Record<Plan, string> = { starter: 'Starter', pro: 'Pro', enterprise: 'Enterprise' };
const QUOTA_LABELS: Record<string, string> = { text_calls: 'text generations', images: 'images', video_seconds: 'video seconds' };

function Section({ title, children, danger }: { title: string; children: ReactNode; danger?: boolean }) {
  return (
    <Card component="section" aria-label={title} sx={danger ? { borderColor: 'error.main', borderWidth: 1, borderStyle: 'solid' } : undefined}>
      <CardContent>
        <Typography variant="h5" component="h2" gutterBottom color={danger ? 'error' : undefined}>
          {title}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}

function Quotas({ quotas }: { quotas: Counters }) {
  const entries = Object.entries(quotas ?? {});
  if (entries.length === 0) return <Typography color="text.secondary">No monthly quotas.</Typography>;
  return (
    <Box component="ul" sx={{ m: 0, pl: 3 }} data-testid="plan-quotas">
      {entries.map(([k, v]) => (
        <li key={k}>
          {v.toLocaleString('en')} {QUOTA_LABELS[k] ?? k.replace(/_/g, ' ')} per month
        </li>
      ))}
    </Box>
  );
}

function WorkspaceForm({ tenant, onSaved }: { tenant: Tenant; onSaved: (t: Tenant) => void }) {
  const api = useApi();
  const [name, setName] = useState(tenant.name);
  const [plan, setPlan] = useState<Plan>(tenant.plan);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);

  useEffect(() => {
    setName(tenant.name);
    setPlan(tenant.plan);
  }, [tenant]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    const trimmed = name.trim();
    if (!trimmed) {
      setNameError('Name your workspace');
      return;
    }
    setNameError(null);
    const body: TenantPatch = {};
    if (trimmed !== tenant.name) body.name = trimmed;
    if (plan !== tenant.plan) body.plan = plan;
    if (Object.keys(body).length === 0) {
      setSaved('Nothing to save.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const t = await api.updateTenant(body);
      onSaved(t);
      setSaved(body.plan ? `Saved. The workspace is now on the ${PLAN_LABELS[t.plan] ?? t.plan} plan.` : 'Saved.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const server = fieldProblems(error);
  const changed = name.trim() !== tenant.name || plan !== tenant.plan;
  return (
    <Stack component="form" spacing={2} noValidate onSubmit={save} aria-label="Workspace settings" sx={{ maxWidth: 560 }}>
      <ErrorAlert error={error} title="Could not save the workspace" />
      {saved && (
        <Alert severity="success" role="status" onClose={() => setSaved(null)}>
          {saved}
        </Alert>
      )}
      <TextField
        label="Workspace name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        required
        slotProps={{ htmlInput: { maxLength: 100 } }}
        error={!!(nameError ?? server.name)}
        helperText={nameError ?? server.name ?? ' '}
      />
      <TextField
        select
        label="Plan"
        value={plan}
        onChange={(e) => setPlan(e.target.value as Plan)}
        error={!!server.plan}
        helperText={server.plan ?? 'Quotas and rate limits change at once.'}
      >
        {PLANS.map((p) => (
          <MenuItem key={p} value={p}>
            {PLAN_LABELS[p]}
            {p === tenant.plan ? ' (current)' : ''}
          </MenuItem>
        ))}
      </TextField>
      <Box>
        <Typography variant="subtitle1" component="h3">
          {PLAN_LABELS[tenant.plan] ?? tenant.plan} plan quotas
        </Typography>
        <Quotas quotas={tenant.quotas} />
        {plan !== tenant.plan && (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
            The {PLAN_LABELS[plan]} plan&apos;s quotas are shown once you save.
          </Typography>
        )}
      </Box>
      <Button type="submit" variant="contained" disabled={busy || !changed} sx={{ alignSelf: 'flex-start' }}>
        {busy ? 'Saving…' : 'Save changes'}
      </Button>
    </Stack>
  );
}

export default function SettingsPage() {
  const api = useApi();
  const { me, refresh, signOut } = useSession();
  const navigate = useNavigate();
  const owner = me?.role === 'owner';
  const tenant = useLoad(() => (owner ? api.tenant() : Promise.resolve(undefined)), [api, owner]);
  const [deleting, setDeleting] = useState(false);

  if (!owner)
    return (
      <>
        <PageHeader title="Workspace" />
        <Alert severity="info">Only the workspace&apos;s owners can change its settings.</Alert>
      </>
    );

  return (
    <>
      <PageHeader title="Workspace" subtitle="Name, plan and deletion of this workspace (owners only)" />
      {tenant.loading && <Loading label="Loading the workspace" />}
      <ErrorAlert error={tenant.error} onRetry={tenant.reload} title="Cannot load the workspace" />
      {tenant.data && (
        <Stack spacing={3}>
          <Section title="Workspace">
            <WorkspaceForm tenant={tenant.data} onSaved={(t) => tenant.setData(t)} />
          </Section>
          <Section title="Danger zone" danger>
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' }, justifyContent: 'space-between' }}>
              <Box>
                <Typography variant="subtitle1" component="h3">
                  Delete workspace
                </Typography>
                <Typography color="text.secondary">
                  Deletes all brands, campaigns, creatives, media and jobs, and ends every member&apos;s and API key&apos;s access.
                </Typography>
              </Box>
              <Button variant="outlined" color="error" onClick={() => setDeleting(true)} sx={{ flexShrink: 0 }}>
                Delete workspace…
              </Button>
            </Stack>
          </Section>
        </Stack>
      )}
      <DeleteWorkspaceDialog
        open={deleting}
        name={tenant.data?.name ?? ''}
        onClose={() => setDeleting(false)}
        onDelete={async (confirm) => {
          await api.deleteTenant(confirm);
        }}
        onContinue={async () => {
          // As after onboarding: a fresh ID token (the tenant claims are gone) and /v1/me again.
          await refresh();
          navigate('/onboarding', { replace: true });
        }}
        onSignOut={async () => {
          await signOut();
        }}
      />
    </>
  );
}
