import { Link as RouterLink, useSearchParams } from 'react-router';
import {
  Button,
  Card,
  CardActions,
  CardContent,
  Chip,
  Grid,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import { useApi } from '../../app/services';
import { useLoad } from '../../lib/useLoad';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../components/States';
import { PLATFORM_LABELS } from '../../api/types';

export default function CampaignsPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const brandId = params.get('brand_id') ?? '';
  const brands = useLoad(() => api.listBrands({ limit: 100 }), [api]);
  const campaigns = useLoad(() => api.listCampaigns({ brand_id: brandId || undefined, limit: 100 }), [api, brandId]);
  const brandName = (id: string) => brands.data?.items.find((b) => b.id === id)?.name ?? '';
  return (
    <>
      <PageHeader
        title="Campaigns"
        actions={
          <Button variant="contained" startIcon={<AddIcon />} component={RouterLink} to={`/campaigns/new${brandId ? `?brand_id=${brandId}` : ''}`}>
            New campaign
          </Button>
        }
      />
      <TextField
        select
        label="Brand"
        value={brandId}
        onChange={(e) => setParams(e.target.value ? { brand_id: e.target.value } : {})}
        sx={{ mb: 2, minWidth: 240 }}
        size="small"
        slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
      >
        <MenuItem value="">All brands</MenuItem>
        {brands.data?.items.map((b) => (
          <MenuItem key={b.id} value={b.id}>
            {b.name}
          </MenuItem>
        ))}
      </TextField>
      {campaigns.loading && <Loading label="Loading campaigns" />}
      <ErrorAlert error={campaigns.error} onRetry={campaigns.reload} title="Cannot load campaigns" />
      {campaigns.data && campaigns.data.items.length === 0 && (
        <EmptyState title="No campaigns yet" action={<Button component={RouterLink} to="/campaigns/new" variant="contained">Create a campaign</Button>}>
          A campaign holds the offer, audience and platforms the ads are generated for.
        </EmptyState>
      )}
      <Grid container spacing={2}>
        {campaigns.data?.items.map((c) => (
          <Grid key={c.id} size={{ xs: 12, md: 6, xl: 4 }}>
            <Card component="article" aria-labelledby={`c-${c.id}`}>
              <CardContent>
                <Typography id={`c-${c.id}`} variant="h6" component="h2">
                  {c.name}
                </Typography>
                <Typography variant="body2" color="text.secondary">
                  {brandName(c.brand_id)} · {c.objective.replace('_', ' ')}
                </Typography>
                <Stack direction="row" spacing={1} sx={{ mt: 1, flexWrap: 'wrap', gap: 1 }}>
                  {c.platforms.map((p) => (
                    <Chip key={p} size="small" label={PLATFORM_LABELS[p] ?? p} />
                  ))}
                </Stack>
              </CardContent>
              <CardActions>
                <Button component={RouterLink} to={`/campaigns/${c.id}/generate`} variant="contained" aria-label={`Generate ads for ${c.name}`}>
                  Generate
                </Button>
                <Button component={RouterLink} to={`/campaigns/${c.id}`} aria-label={`Edit ${c.name}`}>
                  Edit
                </Button>
                <Button component={RouterLink} to={`/gallery?campaign_id=${c.id}`} aria-label={`Creatives of ${c.name}`}>
                  Creatives
                </Button>
              </CardActions>
            </Card>
          </Grid>
        ))}
      </Grid>
    </>
  );
}
