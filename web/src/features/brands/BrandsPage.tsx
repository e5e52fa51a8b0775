import { Link as RouterLink } from 'react-router';
import { Box, Button, Card, CardActionArea, CardContent, Grid, Stack, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import { useApi } from '../../app/services';
import { useLoad } from '../../lib/useLoad';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../components/States';

export default function BrandsPage() {
  const api = useApi();
  const brands = useLoad(() => api.listBrands({ limit: 100 }), [api]);
  return (
    <>
      <PageHeader
        title="Brand kits"
        actions={
          <Button variant="contained" startIcon={<AddIcon />} component={RouterLink} to="/brands/new">
            New brand
          </Button>
        }
      />
      {brands.loading && <Loading label="Loading brands" />}
      <ErrorAlert error={brands.error} onRetry={brands.reload} title="Cannot load brands" />
      {brands.data && brands.data.items.length === 0 && (
        <EmptyState title="No brands yet" action={<Button component={RouterLink} to="/brands/new" variant="contained">Create a brand kit</Button>}>
          A brand kit tells the generator how your ads should sound and look.
        </EmptyState>
      )}
      <Grid container spacing={2}>
        {brands.data?.items.map((b) => (
          <Grid key={b.id} size={{ xs: 12, sm: 6, lg: 4 }}>
            <Card>
              <CardActionArea component={RouterLink} to={`/brands/${b.id}`}>
                <CardContent>
                  <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
                    {b.logo_url ? (
                      <img src={b.logo_url} alt="" width={48} height={48} style={{ objectFit: 'contain' }} />
                    ) : (
                      <Box sx={{ width: 48, height: 48, borderRadius: 2, bgcolor: b.kit.colors[0] ?? 'primary.light' }} />
                    )}
                    <Box sx={{ minWidth: 0 }}>
                      <Typography variant="h6" component="h2" noWrap>
                        {b.name}
                      </Typography>
                      <Typography variant="body2" color="text.secondary" noWrap>
                        {[b.kit.tone, `${b.kit.banned_words.length} banned words`].filter(Boolean).join(' · ')}
                      </Typography>
                    </Box>
                  </Stack>
                </CardContent>
              </CardActionArea>
            </Card>
          </Grid>
        ))}
      </Grid>
    </>
  );
}
