import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, Button, Card, CardContent, Container, Stack, Typography } from '@mui/material';
import { useApi, useSession } from '../../app/services';
import { ErrorAlert } from '../../components/States';

export default function AcceptInvitationPage() {
  const { id = '' } = useParams();
  const api = useApi();
  const { user, me, refresh, sendVerification, reloadUser } = useSession();
  const [sent, setSent] = useState(false);
  const [checkMsg, setCheckMsg] = useState<string | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const needsVerification = !!user && user.emailVerified === false && !!sendVerification;
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.acceptInvitation(id);
      await refresh(); // new tenant_id/role claims
      navigate('/campaigns', { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Container maxWidth="sm" sx={{ py: 4 }}>
      <Card>
        <CardContent sx={{ p: 3 }}>
          <Typography variant="h4" component="h1" gutterBottom>
            Join a team
          </Typography>
          <Typography sx={{ mb: 2 }}>
            You were invited to an AdGenius workspace. Accept as <strong>{user?.email}</strong> (the invitation must be for
            this email).
          </Typography>
          {me?.tenant_id && (
            <Typography color="text.secondary" sx={{ mb: 2 }}>
              You already belong to a workspace; accepting moves you to the inviting one if the API allows it.
            </Typography>
          )}
          {needsVerification && (
            <Alert severity="info" sx={{ mb: 2 }}>
              First verify your email address: we send a link to <strong>{user?.email}</strong>; open it, then come back
              here.
              <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mt: 1 }}>
                <Button
                  variant="outlined"
                  onClick={async () => {
                    setVerifyError(null);
                    try {
                      await sendVerification!();
                      setSent(true);
                    } catch (e) {
                      setVerifyError(e);
                    }
                  }}
                >
                  {sent ? 'Send the link again' : 'Send verification email'}
                </Button>
                <Button
                  onClick={async () => {
                    setVerifyError(null);
                    try {
                      const ok = await reloadUser!();
                      setCheckMsg(ok ? null : 'Not verified yet: open the link in the email first.');
                    } catch (e) {
                      setVerifyError(e);
                    }
                  }}
                >
                  I have verified my email
                </Button>
              </Stack>
              {sent && <Typography role="status" variant="body2" sx={{ mt: 1 }}>Verification email sent.</Typography>}
              {checkMsg && <Typography role="status" variant="body2" sx={{ mt: 1 }}>{checkMsg}</Typography>}
            </Alert>
          )}
          <ErrorAlert error={verifyError} title="Email verification failed" />
          <ErrorAlert error={error} title="Could not accept the invitation" />
          <Stack direction="row" spacing={1}>
            <Button variant="contained" onClick={accept} disabled={busy || needsVerification}>
              {busy ? 'Accepting…' : 'Accept invitation'}
            </Button>
            <Button onClick={() => navigate('/')}>Not now</Button>
          </Stack>
        </CardContent>
      </Card>
    </Container>
  );
}
