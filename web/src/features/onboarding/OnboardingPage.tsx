import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate } from 'react-router';
import {
  Button,
  Card,
  CardContent,
  Container,
  FormControl,
  FormControlLabel,
  FormLabel,
  Radio,
  RadioGroup,
  Stack,
  Step,
  StepLabel,
  Stepper,
  TextField,
  Typography,
} from '@mui/material';
import { useApi, useSession } from '../../app/services';
import { ErrorAlert, Loading, fieldProblems } from '../../components/States';
import type { Plan } from '../../api/types';
import { BrandKitForm } from '../brands/BrandKitForm';

export default function OnboardingPage() {
  const api = useApi();
  const { me, meError, refresh } = useSession();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [plan, setPlan] = useState<Plan>('starter');
  const [nameError, setNameError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [brandError, setBrandError] = useState<unknown>(null);

  if (meError) return <ErrorAlert error={meError} title="Cannot load your account" onRetry={() => void refresh()} />;
  if (!me) return <Loading label="Loading your account" />;
  const step = me.tenant_id ? 1 : 0;
  if (step === 1 && me.role && me.role !== 'owner' && me.role !== 'admin') return <Navigate to="/campaigns" replace />;

  const createTenant = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setNameError('Name your workspace');
      return;
    }
    setNameError(null);
    setBusy(true);
    setError(null);
    try {
      await api.createTenant({ name: name.trim(), plan });
      await refresh(); // force-refresh the ID token: it now carries tenant_id and role=owner
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const server = fieldProblems(error);
  return (
    <Container maxWidth="md" sx={{ py: 2 }}>
      <Typography variant="h4" component="h1" gutterBottom>
        Welcome to AdGenius
      </Typography>
      <Stepper activeStep={step} sx={{ mb: 3 }} aria-label="Onboarding steps">
        <Step>
          <StepLabel>Create your workspace</StepLabel>
        </Step>
        <Step>
          <StepLabel>Set up your first brand</StepLabel>
        </Step>
      </Stepper>
      <Card>
        <CardContent sx={{ p: 3 }}>
          {step === 0 ? (
            <Stack component="form" spacing={2} noValidate onSubmit={createTenant} aria-label="Create workspace">
              <ErrorAlert error={error} title="Could not create the workspace" />
              <TextField
                label="Workspace name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                required
                error={!!(nameError ?? server.name)}
                helperText={nameError ?? server.name ?? 'Usually your company or agency name'}
              />
              <FormControl>
                <FormLabel id="plan-label">Plan</FormLabel>
                <RadioGroup row aria-labelledby="plan-label" value={plan} onChange={(e) => setPlan(e.target.value as Plan)}>
                  <FormControlLabel value="starter" control={<Radio />} label="Starter" />
                  <FormControlLabel value="pro" control={<Radio />} label="Pro" />
                  <FormControlLabel value="enterprise" control={<Radio />} label="Enterprise" />
                </RadioGroup>
              </FormControl>
              <Button type="submit" variant="contained" disabled={busy} sx={{ alignSelf: 'flex-start' }}>
                {busy ? 'Creating…' : 'Create workspace'}
              </Button>
            </Stack>
          ) : (
            <>
              <Typography sx={{ mb: 2 }}>Describe your brand. You can refine it (and upload a logo) later.</Typography>
              <ErrorAlert error={brandError} title="Could not create the brand" />
              <BrandKitForm
                submitLabel="Create brand and continue"
                serverError={brandError}
                onSubmit={async (b) => {
                  setBrandError(null);
                  try {
                    const brand = await api.createBrand(b);
                    navigate(`/campaigns/new?brand_id=${encodeURIComponent(brand.id)}`, { replace: true });
                  } catch (err) {
                    setBrandError(err);
                  }
                }}
              />
              <Button sx={{ mt: 2 }} onClick={() => navigate('/campaigns')}>
                Skip for now
              </Button>
            </>
          )}
        </CardContent>
      </Card>
    </Container>
  );
}
