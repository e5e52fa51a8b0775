import { useEffect, useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router';
import { Box, Button, Card, CardContent, Grid, Link, Stack, Tab, Tabs, Typography } from '@mui/material';
import { useApi, useSession } from '../../app/services';
import { useLoad } from '../../lib/useLoad';
import { ErrorAlert, Loading, PageHeader } from '../../components/States';
import { CopyForm } from './CopyForm';
import { CopyVariantCard } from './CopyVariantCard';
import { ImageJobForm, VideoJobForm } from './JobForms';
import { JobProgress } from '../jobs/JobProgress';
import type { CopyRequest, CopyResult, JobRequest } from '../../api/types';

export default function GeneratePage() {
  const { id = '' } = useParams();
  const api = useApi();
  const { me } = useSession();
  const campaign = useLoad(() => api.getCampaign(id), [api, id]);
  const [tab, setTab] = useState(0);
  const [copy, setCopy] = useState<{ result: CopyResult; platform: string } | null>(null);
  const [copyError, setCopyError] = useState<unknown>(null);
  const [jobs, setJobs] = useState<string[]>([]);
  const [jobError, setJobError] = useState<unknown>(null);
  // Recent jobs of this campaign (listed once through the API), then followed live.
  const recent = useLoad(() => api.listJobs({ campaign_id: id, limit: 20 }), [api, id]);
  useEffect(() => {
    const mine = (recent.data?.items ?? []).filter((j) => j.campaign_id === id).slice(0, 3).map((j) => j.id);
    if (mine.length) setJobs((js) => [...js, ...mine.filter((j) => !js.includes(j))]);
  }, [recent.data, id]);

  const genCopy = async (req: CopyRequest) => {
    setCopyError(null);
    try {
      setCopy({ result: await api.generateCopy(id, req), platform: req.platform });
    } catch (e) {
      setCopyError(e);
    }
  };
  const startJob = async (req: JobRequest) => {
    setJobError(null);
    try {
      const j = await api.startJob(id, req);
      setJobs((js) => [j.id, ...js]);
    } catch (e) {
      setJobError(e);
    }
  };

  const c = campaign.data?.campaign;
  return (
    <>
      <PageHeader
        title="Generate"
        subtitle={c ? c.name : undefined}
        actions={
          <Button component={RouterLink} to={`/gallery?campaign_id=${id}`}>
            Open gallery
          </Button>
        }
      />
      {campaign.loading && <Loading label="Loading campaign" />}
      <ErrorAlert error={campaign.error} onRetry={campaign.reload} title="Cannot load the campaign" />
      {c && (
        <>
          <Tabs value={tab} onChange={(_, v: number) => setTab(v)} aria-label="What to generate" sx={{ mb: 2 }} variant="scrollable">
            <Tab label="Ad copy" id="tab-copy" aria-controls="panel-copy" />
            <Tab label="Images" id="tab-images" aria-controls="panel-images" />
            <Tab label="Video" id="tab-video" aria-controls="panel-video" />
          </Tabs>
          <Box role="tabpanel" id="panel-copy" aria-labelledby="tab-copy" hidden={tab !== 0}>
            {tab === 0 && (
              <Stack spacing={2}>
                <Card>
                  <CardContent>
                    <CopyForm campaign={c} onSubmit={genCopy} />
                    <ErrorAlert error={copyError} title="Copy generation failed" />
                  </CardContent>
                </Card>
                {copy && (
                  <>
                    <Typography variant="body2" color="text.secondary">
                      {copy.result.variants.length} variants · engine {copy.result.engine} · model {copy.result.model} · prompt {copy.result.prompt_version} ·{' '}
                      <Link component={RouterLink} to={`/gallery?campaign_id=${id}&kind=copy`}>
                        review in gallery
                      </Link>
                    </Typography>
                    <Grid container spacing={2}>
                      {copy.result.variants.map((v, i) => (
                        <Grid key={v.id} size={{ xs: 12, lg: 6 }}>
                          <CopyVariantCard variant={v} platform={copy.platform} index={i} />
                        </Grid>
                      ))}
                    </Grid>
                  </>
                )}
              </Stack>
            )}
          </Box>
          <Box role="tabpanel" id="panel-images" aria-labelledby="tab-images" hidden={tab !== 1}>
            {tab === 1 && (
              <Card>
                <CardContent>
                  <ImageJobForm onSubmit={startJob} />
                </CardContent>
              </Card>
            )}
          </Box>
          <Box role="tabpanel" id="panel-video" aria-labelledby="tab-video" hidden={tab !== 2}>
            {tab === 2 && (
              <Card>
                <CardContent>
                  <VideoJobForm onSubmit={startJob} />
                </CardContent>
              </Card>
            )}
          </Box>
          <ErrorAlert error={jobError} title="Could not start the job" />
          <ErrorAlert error={recent.error} title="Cannot list recent jobs" onRetry={recent.reload} />
          {jobs.length > 0 && me?.tenant_id && (
            <Stack spacing={2} sx={{ mt: 2 }}>
              <Typography variant="h5" component="h2">
                Jobs
              </Typography>
              {jobs.map((j) => (
                <JobProgress key={j} tenantId={me.tenant_id!} jobId={j} />
              ))}
            </Stack>
          )}
        </>
      )}
    </>
  );
}
