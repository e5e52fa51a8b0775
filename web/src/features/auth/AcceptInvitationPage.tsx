import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Button, Card, CardContent, Container, Stack, Typography } from '@mui/material';
import { useApi, useSession } from '../../app/services';
import { ErrorAlert } from '../../components/States';

export default function AcceptInvitationPage() {
  const { id = '' } = useParams();
  const api = useApi();
  const { user, me, refresh } = useSession();
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
          <ErrorAlert error={error} title="Could not accept the invitation" />
          <Stack direction="row" spacing={1}>
            <Button variant="contained" onClick={accept} disabled={busy}>
              {busy ? 'Accepting…' : 'Accept invitation'}
            </Button>
            <Button onClick={() => navigate('/')}>Not now</Button>
          </Stack>
        </CardContent>
      </Card>
    </Container>
  );
}
