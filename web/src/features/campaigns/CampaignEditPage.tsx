import { useState } from 'react';
import { Link as RouterLink, useNavigate, useParams, useSearchParams } from 'react-router';
import { Alert, Button, Card, CardContent } from '@mui/material';
import { useApi } from '../../app/services';
import { useLoad } from '../../lib/useLoad';
import { ErrorAlert, Loading, PageHeader } from '../../components/States';
import { CampaignForm, emptyCampaign } from './CampaignForm';
import { ApiError } from '../../api/client';
import type { CampaignInput } from '../../api/types';
import { LoopPanel } from '../loop/LoopPanel';
import { InsightsView } from '../loop/InsightsView';

export default function CampaignEditPage() {
  const { id } = useParams();
  const [params] = useSearchParams();
  const api = useApi();
  const navigate = useNavigate();
  const brands = useLoad(() => api.listBrands({ limit: 100 }), [api]);
  const campaign = useLoad(() => (id ? api.getCampaign(id) : Promise.resolve(null)), [api, id]);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  const save = async (input: CampaignInput) => {
    setError(null);
    setSaved(false);
    try {
      if (!id) {
        const c = await api.createCampaign(input);
        navigate(`/campaigns/${c.id}/generate`);
      } else {
        const { brand_id: _brand, ...patch } = input; // the brand of a campaign cannot change
        const r = await api.updateCampaign(id, patch, campaign.data?.etag ?? null);
        campaign.setData(r);
        setSaved(true);
      }
    } catch (e) {
      setError(e);
    }
  };
  const conflict = error instanceof ApiError && (error.status === 412 || error.status === 409);
  const loading = brands.loading || campaign.loading;
  const initial: CampaignInput | null = id
    ? campaign.data
      ? { ...emptyCampaign(), ...campaign.data.campaign }
      : null
    : emptyCampaign(params.get('brand_id') ?? brands.data?.items[0]?.id ?? '');

  return (
    <>
      <PageHeader
        title={id ? 'Edit campaign' : 'New campaign'}
        actions={
          id ? (
            <>
              <Button component={RouterLink} to={`/campaigns/${id}/performance`}>Performance & export</Button>
              <Button component={RouterLink} to={`/campaigns/${id}/generate`}>Generate ads</Button>
            </>
          ) : undefined
        }
      />
      {loading && <Loading />}
      <ErrorAlert error={brands.error ?? campaign.error} onRetry={() => { brands.reload(); campaign.reload(); }} />
      {!loading && initial && brands.data && (
        <Card>
          <CardContent>
            <ErrorAlert error={error} title={conflict ? 'Someone else changed this campaign' : 'Could not save the campaign'} onRetry={conflict ? campaign.reload : undefined} />
            {saved && (
              <Alert severity="success" role="status" sx={{ mb: 2 }}>
                Saved
              </Alert>
            )}
            <CampaignForm
              key={campaign.data?.etag ?? id ?? 'new'}
              initial={initial}
              brands={brands.data.items}
              onSubmit={save}
              serverError={error}
              submitLabel={id ? 'Save campaign' : 'Create campaign'}
              brandLocked={!!id}
            />
          </CardContent>
        </Card>
      )}
      {id && campaign.data && (
        <>
          <LoopPanel
            campaign={campaign.data.campaign}
            etag={campaign.data.etag}
            onSaved={(r) => campaign.setData(r)}
          />
          <InsightsView campaignId={id} />
        </>
      )}
    </>
  );
}
