import { useEffect, useId, useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
  Typography,
} from '@mui/material';
import { ErrorAlert, fieldProblems } from '../../components/States';

/**
 * Confirms deleting the workspace: the owner types its exact name. `onDelete` calls the API and
 * throws on failure (the error is shown here); after it succeeds the dialog shows a confirmation
 * and offers the next step (a new workspace, or signing out): the user no longer has a tenant.
 */
export function DeleteWorkspaceDialog({
  open,
  name,
  onClose,
  onDelete,
  onContinue,
  onSignOut,
}: {
  open: boolean;
  name: string;
  onClose: () => void;
  onDelete: (confirm: string) => Promise<void>;
  onContinue: () => Promise<void>;
  onSignOut: () => Promise<void>;
}) {
  const titleId = useId();
  const descId = useId();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [deleted, setDeleted] = useState(false);

  useEffect(() => {
    if (open) {
      setTyped('');
      setError(null);
      setBusy(false);
      setDeleted(false);
    }
  }, [open]);

  const matches = typed === name && name !== '';
  const del = async () => {
    setBusy(true);
    setError(null);
    try {
      await onDelete(typed);
      setDeleted(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const next = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const server = fieldProblems(error);

  return (
    <Dialog
      open={open}
      // Once deleted there is nothing to go back to: only the buttons below lead on.
      onClose={busy || deleted ? undefined : onClose}
      aria-labelledby={titleId}
      aria-describedby={descId}
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id={titleId}>{deleted ? 'Workspace deleted' : 'Delete workspace'}</DialogTitle>
      <DialogContent>
        {deleted ? (
          <>
            <Alert severity="success" sx={{ mb: 2 }} role="status">
              The workspace “{name}” is being deleted.
            </Alert>
            <DialogContentText id={descId}>
              Access has ended for every member and API key, and its data is being purged. You no longer belong to a
              workspace: create a new one, or sign out.
            </DialogContentText>
          </>
        ) : (
          <>
            <DialogContentText id={descId} component="div">
              <Typography sx={{ mb: 1 }}>
                This permanently deletes the workspace <strong>{name}</strong> and everything in it:
              </Typography>
              <Box component="ul" sx={{ mt: 0, mb: 1, pl: 3 }}>
                <li>all brands and brand kits, with their logos</li>
                <li>all campaigns, creatives and media (images and videos)</li>
                <li>all generation jobs and their history</li>
                <li>every member&apos;s access, pending invitations, and all API keys</li>
              </Box>
              <Typography>Access ends at once for everyone. This cannot be undone.</Typography>
            </DialogContentText>
            <ErrorAlert error={error} title="Could not delete the workspace" />
            <TextField
              sx={{ mt: 2 }}
              fullWidth
              autoComplete="off"
              label="Type the workspace name to confirm"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              error={!!server.confirm}
              helperText={server.confirm ?? `Type “${name}” exactly`}
              disabled={busy}
            />
          </>
        )}
        {deleted && <ErrorAlert error={error} title="Something went wrong" />}
      </DialogContent>
      <DialogActions>
        {deleted ? (
          <>
            <Button onClick={() => void next(onSignOut)} disabled={busy}>
              Sign out
            </Button>
            <Button variant="contained" onClick={() => void next(onContinue)} disabled={busy}>
              Create a new workspace
            </Button>
          </>
        ) : (
          <>
            <Button onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button variant="contained" color="error" onClick={() => void del()} disabled={!matches || busy}>
              {busy ? 'Deleting…' : 'Delete workspace'}
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}
