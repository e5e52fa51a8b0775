import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { Box } from '@mui/material';
import { useSession } from './services';
import { ErrorAlert, Loading } from '../components/States';
import { Layout } from './Layout';

const AuthPage = lazy(() => import('../features/auth/AuthPage'));
const AcceptInvitationPage = lazy(() => import('../features/auth/AcceptInvitationPage'));
const OnboardingPage = lazy(() => import('../features/onboarding/OnboardingPage'));
const BrandsPage = lazy(() => import('../features/brands/BrandsPage'));
const BrandEditPage = lazy(() => import('../features/brands/BrandEditPage'));
const CampaignsPage = lazy(() => import('../features/campaigns/CampaignsPage'));
const CampaignEditPage = lazy(() => import('../features/campaigns/CampaignEditPage'));
const GeneratePage = lazy(() => import('../features/generate/GeneratePage'));
const JobPage = lazy(() => import('../features/jobs/JobPage'));
const JobsPage = lazy(() => import('../features/jobs/JobsPage'));
const GalleryPage = lazy(() => import('../features/gallery/GalleryPage'));
const TeamPage = lazy(() => import('../features/team/TeamPage'));
const ExperimentsPage = lazy(() => import('../features/experiments/ExperimentsPage'));
const ExperimentPage = lazy(() => import('../features/experiments/ExperimentPage'));
const SettingsPage = lazy(() => import('../features/settings/SettingsPage'));
const ImportPage = lazy(() => import('../features/metrics/ImportPage'));
const PerformancePage = lazy(() => import('../features/metrics/PerformancePage'));

function RequireAuth({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const loc = useLocation();
  if (user === undefined) return <Loading label="Restoring your session" />;
  if (!user) return <Navigate to={`/signin?next=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  return <>{children}</>;
}

function RequireTenant({ children }: { children: ReactNode }) {
  const { me, meError, refresh } = useSession();
  if (meError)
    return (
      <Box sx={{ p: 3 }}>
        <ErrorAlert error={meError} title="Cannot load your account" onRetry={() => void refresh()} />
      </Box>
    );
  if (!me) return <Loading label="Loading your account" />;
  if (!me.tenant_id) return <Navigate to="/onboarding" replace />;
  return <>{children}</>;
}

function Page({ children, tenant = true }: { children: ReactNode; tenant?: boolean }) {
  const inner = <Suspense fallback={<Loading />}>{children}</Suspense>;
  return <RequireAuth>{tenant ? <RequireTenant>{inner}</RequireTenant> : inner}</RequireAuth>;
}

export function App() {
  return (
    <BrowserRouter>
      <Layout>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/signin" element={<AuthPage mode="signin" />} />
            <Route path="/signup" element={<AuthPage mode="signup" />} />
            <Route path="/invite/:id" element={<Page tenant={false}><AcceptInvitationPage /></Page>} />
            <Route path="/onboarding" element={<Page tenant={false}><OnboardingPage /></Page>} />
            <Route path="/brands" element={<Page><BrandsPage /></Page>} />
            <Route path="/brands/new" element={<Page><BrandEditPage /></Page>} />
            <Route path="/brands/:id" element={<Page><BrandEditPage /></Page>} />
            <Route path="/campaigns" element={<Page><CampaignsPage /></Page>} />
            <Route path="/campaigns/new" element={<Page><CampaignEditPage /></Page>} />
            <Route path="/campaigns/:id" element={<Page><CampaignEditPage /></Page>} />
            <Route path="/campaigns/:id/generate" element={<Page><GeneratePage /></Page>} />
            <Route path="/campaigns/:id/performance" element={<Page><PerformancePage /></Page>} />
            <Route path="/imports" element={<Page><ImportPage /></Page>} />
            <Route path="/jobs" element={<Page><JobsPage /></Page>} />
            <Route path="/jobs/:id" element={<Page><JobPage /></Page>} />
            <Route path="/gallery" element={<Page><GalleryPage /></Page>} />
            <Route path="/experiments" element={<Page><ExperimentsPage /></Page>} />
            <Route path="/experiments/:id" element={<Page><ExperimentPage /></Page>} />
            <Route path="/team" element={<Page><TeamPage /></Page>} />
            <Route path="/settings" element={<Page><SettingsPage /></Page>} />
            <Route path="/" element={<Navigate to="/campaigns" replace />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </Layout>
    </BrowserRouter>
  );
}

function NotFound() {
  return (
    <Box sx={{ p: 3 }}>
      <h1>Page not found</h1>
    </Box>
  );
}
