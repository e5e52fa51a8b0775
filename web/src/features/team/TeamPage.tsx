import { useState, type ReactNode } from 'react';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  IconButton,
  LinearProgress,
  MenuItem,
  Stack,
  TableCell,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { hasRole, useApi, useSession } from '../../app/services';
import { useLoad } from '../../lib/useLoad';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../components/States';
import { ROLES, type Brand, type Member, type NewApiKey, type Role } from '../../api/types';
import type { Api } from '../../api/client';
import { ResourceTable } from '../../components/ResourceTable';
import { InviteForm } from './InviteForm';
import { ApiKeyForm } from './ApiKeyForm';
import { BrandAccessDialog } from './BrandAccessDialog';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card component="section" aria-label={title}>
      <CardContent>
        <Typography variant="h5" component="h2" gutterBottom>
          {title}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Tooltip title={copied ? 'Copied' : label}>
      <IconButton
        aria-label={label}
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(text);
            setCopied(true);
          } catch {
            setCopied(false);
          }
        }}
      >
        <ContentCopyIcon />
      </IconButton>
    </Tooltip>
  );
}

async function allBrands(api: Api): Promise<Brand[]> {
  const out: Brand[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.listBrands({ limit: 100, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor && out.length < 1000);
  return out;
}

function BrandAccess({ member, names }: { member: Member; names: Map<string, string> }) {
  const ids = member.brand_ids ?? null;
  if (ids === null) return <>All brands</>;
  if (ids.length === 0) return <>No brands</>;
  return (
    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
      {ids.map((id) => (
        <Chip key={id} size="small" label={names.get(id) ?? id} />
      ))}
    </Stack>
  );
}

export default function TeamPage() {
  const api = useApi();
  const { me } = useSession();
  const admin = hasRole(me?.role, 'admin');
  const members = useLoad(() => api.listMembers(), [api]);
  const invitations = useLoad(() => (admin ? api.listInvitations() : Promise.resolve({ items: [], next_cursor: null })), [api, admin]);
  const keys = useLoad(() => (admin ? api.listApiKeys() : Promise.resolve({ items: [], next_cursor: null })), [api, admin]);
  const usage = useLoad(() => api.usage(), [api]);
  const brands = useLoad(() => allBrands(api), [api]);
  const brandNames = new Map((brands.data ?? []).map((b) => [b.id, b.name]));
  const [editing, setEditing] = useState<Member | null>(null);
  const owners = (members.data?.items ?? []).filter((m) => m.role === 'owner').length;
  // Mirrors the API's guard: admins manage non-owners; owners anyone, but a tenant keeps an owner
  // (changing an owner is refused when no other owner exists).
  const canEditBrands = (m: Member) => admin && (m.role !== 'owner' || (me?.role === 'owner' && owners > 1));
  const [actionError, setActionError] = useState<unknown>(null);
  const [inviteError, setInviteError] = useState<unknown>(null);
  const [newKey, setNewKey] = useState<NewApiKey | null>(null);

  const act = async (fn: () => Promise<unknown>, after: () => void) => {
    setActionError(null);
    try {
      await fn();
      after();
    } catch (e) {
      setActionError(e);
    }
  };
  const inviteLink = (id: string) => `${window.location.origin}/invite/${id}`;

  return (
    <>
      <PageHeader title="Team & access" />
      <ErrorAlert error={actionError} title="The action failed" />
      <Stack spacing={3}>
        <Section title="Usage">
          {usage.loading && <Loading label="Loading usage" />}
          <ErrorAlert error={usage.error} onRetry={usage.reload} />
          {usage.data && (
            <Stack spacing={2}>
              {typeof usage.data.period === 'string' && <Typography color="text.secondary">Period {usage.data.period}</Typography>}
              {Object.keys(usage.data.quotas ?? {}).length === 0 && <Typography>No quotas on this plan.</Typography>}
              {Object.entries(usage.data.quotas ?? {}).map(([k, quota]) => {
                const raw = usage.data!.usage?.[k];
                const used = typeof raw === 'number' ? Math.round(raw * 10) / 10 : 0;
                const pct = quota ? Math.min(100, Math.round((100 * used) / quota)) : 0;
                return (
                  <Box key={k} data-testid={`usage-${k}`}>
                    <Typography variant="body2" id={`usage-${k}`}>
                      {k.replace(/_/g, ' ')}: {used} of {quota}
                    </Typography>
                    <LinearProgress variant="determinate" value={pct} color={pct >= 90 ? 'error' : 'primary'} aria-labelledby={`usage-${k}`} />
                  </Box>
                );
              })}
            </Stack>
          )}
        </Section>

        <Section title="Members">
          <ResourceTable
            resource={members}
            label="Members"
            columns={[{ label: 'Email' }, { label: 'Role' }, { label: 'Brand access' }, { label: 'Actions', hidden: true }]}
            rowKey={(m) => m.uid}
            row={(m) => (
              <>
                <TableCell>{m.email}</TableCell>
                <TableCell>
                  {admin && m.uid !== me?.uid && m.role !== 'owner' ? (
                    <TextField
                      select
                      size="small"
                      value={m.role}
                      slotProps={{ htmlInput: { 'aria-label': `Role of ${m.email}` } }}
                      onChange={(e) =>
                        void act(
                          () => api.updateMember(m.uid, { role: e.target.value as Role }),
                          () => members.setData((d) => d && { ...d, items: d.items.map((x) => (x.uid === m.uid ? { ...x, role: e.target.value as Role } : x)) }),
                        )
                      }
                    >
                      {ROLES.filter((r) => r !== 'owner').map((r) => (
                        <MenuItem key={r} value={r}>
                          {r}
                        </MenuItem>
                      ))}
                    </TextField>
                  ) : (
                    m.role
                  )}
                </TableCell>
                <TableCell>
                  <BrandAccess member={m} names={brandNames} />
                </TableCell>
                <TableCell align="right">
                  {canEditBrands(m) && (
                    <Button size="small" onClick={() => setEditing(m)} aria-label={`Edit brands of ${m.email}`}>
                      Edit brands
                    </Button>
                  )}
                  {admin && m.uid !== me?.uid && m.role !== 'owner' && (
                    <Button color="error" size="small" onClick={() => void act(() => api.removeMember(m.uid), members.reload)} aria-label={`Remove ${m.email}`}>
                      Remove
                    </Button>
                  )}
                </TableCell>
              </>
            )}
          />
        </Section>

        {admin && (
          <Section title="Invitations">
            <InviteForm
              serverError={inviteError}
              onSubmit={async (b) => {
                setInviteError(null);
                try {
                  const inv = await api.createInvitation(b);
                  invitations.setData((d) => ({ items: [inv, ...(d?.items ?? [])], next_cursor: d?.next_cursor ?? null }));
                  return true;
                } catch (e) {
                  setInviteError(e);
                  return false;
                }
              }}
            />
            <ErrorAlert error={inviteError} title="Could not invite" />
            <ResourceTable
              resource={invitations}
              label="Invitations"
              spaced
              columns={[{ label: 'Email' }, { label: 'Role' }, { label: 'Status' }, { label: 'Actions', align: 'right' }]}
              rowKey={(i) => i.id}
              row={(i) => (
                <>
                  <TableCell>{i.email}</TableCell>
                  <TableCell>{i.role}</TableCell>
                  <TableCell>{i.status}</TableCell>
                  <TableCell align="right">
                    <CopyButton text={inviteLink(i.id)} label={`Copy invitation link for ${i.email}`} />
                    {i.status === 'pending' && (
                      <Button
                        size="small"
                        color="error"
                        aria-label={`Revoke invitation for ${i.email}`}
                        onClick={() => void act(() => api.deleteInvitation(i.id), invitations.reload)}
                      >
                        Revoke
                      </Button>
                    )}
                  </TableCell>
                </>
              )}
              empty={<Typography color="text.secondary">No pending invitations.</Typography>}
            />
          </Section>
        )}

        {admin && (
          <Section title="API keys">
            <ApiKeyForm
              onSubmit={async (b) => {
                setActionError(null);
                try {
                  const k = await api.createApiKey(b);
                  setNewKey(k);
                  keys.reload();
                  return true;
                } catch (e) {
                  setActionError(e);
                  return false;
                }
              }}
            />
            <ResourceTable
              resource={keys}
              label="API keys"
              noun="API keys"
              spaced
              columns={[
                { label: 'Name' },
                { label: 'Key' },
                { label: 'Scopes' },
                { label: 'Last used' },
                { label: 'Actions', align: 'right' },
              ]}
              rowKey={(k) => k.id}
              row={(k) => (
                <>
                  <TableCell>{k.name}</TableCell>
                  <TableCell>
                    <code>{k.prefix}…</code>
                  </TableCell>
                  <TableCell>{k.scopes.join(', ')}</TableCell>
                  <TableCell>{k.last_used_at ? new Date(k.last_used_at).toLocaleString() : 'never'}</TableCell>
                  <TableCell align="right">
                    {!k.revoked && (
                      <Button size="small" color="error" aria-label={`Revoke key ${k.name}`} onClick={() => void act(() => api.revokeApiKey(k.id), keys.reload)}>
                        Revoke
                      </Button>
                    )}
                  </TableCell>
                </>
              )}
              empty={<EmptyState title="No API keys">Integrations use API keys with the X-API-Key header.</EmptyState>}
            />
          </Section>
        )}
      </Stack>

      <BrandAccessDialog
        member={editing}
        brands={brands.data ?? []}
        brandsLoading={brands.loading}
        brandsError={brands.error}
        onClose={() => setEditing(null)}
        onSave={async (brandIds) => {
          if (!editing) return;
          const uid = editing.uid;
          const updated = await api.updateMember(uid, { brand_ids: brandIds });
          const brand_ids = updated && 'brand_ids' in updated ? (updated.brand_ids ?? null) : brandIds;
          members.setData((d) => d && { ...d, items: d.items.map((x) => (x.uid === uid ? { ...x, brand_ids } : x)) });
          setEditing(null);
        }}
      />

      <Dialog open={!!newKey} onClose={() => setNewKey(null)} aria-labelledby="new-key-title" fullWidth maxWidth="sm">
        <DialogTitle id="new-key-title">API key created</DialogTitle>
        <DialogContent>
          <Alert severity="warning" sx={{ mb: 2 }}>
            Copy this key now. It is shown only once.
          </Alert>
          <DialogContentText component="div">
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
              <Box component="code" data-testid="new-api-key" sx={{ p: 1, bgcolor: 'grey.100', borderRadius: 1, wordBreak: 'break-all', flexGrow: 1 }}>
                {newKey?.key}
              </Box>
              {newKey && <CopyButton text={newKey.key} label="Copy API key" />}
            </Stack>
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button variant="contained" onClick={() => setNewKey(null)}>
            Done
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
